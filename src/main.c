/* Placeholder until the CLI lands. */
#include <stdio.h>
int main(void) { puts("eraudit " ER_VERSION); return 0; }
