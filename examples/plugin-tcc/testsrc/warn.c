/* tcc warns about this by default; the warning must look the same through ferry. */
int *pointer_from_int(void) { return 42; }
