// gcc's @file quoting rules (libiberty buildargv), shared by the gcc family.
#include "gcc-family/response_file.h"

#include <gtest/gtest.h>

namespace ferry::gcc_family {
namespace {

using Args = std::vector<std::string>;

TEST(GccResponseFile, WhitespaceSeparates) {
  EXPECT_EQ(split_response_file("-c  a.c\n-o\tb.o\r\n"), (Args{"-c", "a.c", "-o", "b.o"}));
  EXPECT_EQ(split_response_file("\v\f -O2 "), (Args{"-O2"}));
}

TEST(GccResponseFile, EmptyTextGivesNothing) {
  EXPECT_TRUE(split_response_file("").empty());
  EXPECT_TRUE(split_response_file(" \n\t ").empty());
}

TEST(GccResponseFile, Quotes) {
  EXPECT_EQ(split_response_file("'a b' \"c d\""), (Args{"a b", "c d"}));
  EXPECT_EQ(split_response_file("'say \"hi\"' \"it's\""), (Args{"say \"hi\"", "it's"}));
  EXPECT_EQ(split_response_file("-DX='1 2'y"), (Args{"-DX=1 2y"}));
  EXPECT_EQ(split_response_file("'' \"\""), (Args{"", ""}));
}

TEST(GccResponseFile, BackslashEscapesEverywhere) {
  EXPECT_EQ(split_response_file("a\\ b"), (Args{"a b"}));
  EXPECT_EQ(split_response_file("\\\"x\\\""), (Args{"\"x\""}));
  // Inside quotes too (unlike a POSIX shell's single quotes).
  EXPECT_EQ(split_response_file("'a\\'b'"), (Args{"a'b"}));
  EXPECT_EQ(split_response_file("\"C:\\\\dir\""), (Args{"C:\\dir"}));
  EXPECT_EQ(split_response_file("end\\"), (Args{"end"}));
}

TEST(GccResponseFile, UnterminatedQuoteRunsToTheEnd) {
  EXPECT_EQ(split_response_file("'a b\nc"), (Args{"a b\nc"}));
}

TEST(GccResponseFile, ExpandsInPlace) {
  Args args = {"-c", "@/nonexistent/x.rsp"};
  auto err = expand_response_files(args, "/");
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("@/nonexistent/x.rsp"), std::string::npos);
  // A lone "@" is not a response file (gcc takes it as a file name).
  Args lone = {"@", "-c"};
  EXPECT_FALSE(expand_response_files(lone, "/"));
  EXPECT_EQ(lone, (Args{"@", "-c"}));
}

}  // namespace
}  // namespace ferry::gcc_family
