// The smallest native program: greets and lists its arguments.
#include <stdio.h>

int main(int argc, char** argv)
{
    printf("Hello from Colibri!\n");
    for (int i = 0; i < argc; ++i)
        printf("argv[%d] = \"%s\"\n", i, argv[i]);
    return 0;
}
