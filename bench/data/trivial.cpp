// The baseline for the start-up measurement: a C++ program that does nothing, linked as g++ links
// by default (dynamic libstdc++), so it pays what any C++ process pays to start.
#include <string>

int main(int argc, char **argv)
{
    std::string name = argc > 0 ? argv[0] : "";
    return name.empty() ? 1 : 0;
}
