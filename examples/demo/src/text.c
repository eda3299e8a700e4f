#include "demo/text.h"

const char *const demo_text =
    "A compile job starts on the client. The client runs the preprocessor, so every header "
    "comes from the client's own disk, and sends the preprocessed source to a volunteer. "
    "The volunteer runs the compiler and sends the object back. The client writes the object "
    "where a local compile would have written it, and the build goes on. When the volunteer "
    "is down the client compiles the job itself, so the build never fails because a volunteer "
    "did. The object is the same object a local compile makes, byte for byte.";
