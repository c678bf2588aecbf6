/* Answers by exit status only (0 yes, 1 no), so it needs no write(2):
 *   check argc N          argc == N
 *   check env NAME VALUE  getenv(NAME) equals VALUE ("-" for unset)
 *   check uid N / gid N   getuid() / getgid() == N
 *   check exit N          exits N */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  const char *what = argv[1];
  if (!strcmp(what, "argc")) return argc == atoi(argv[2]) ? 0 : 1;
  if (!strcmp(what, "exit")) return atoi(argv[2]);
  if (!strcmp(what, "uid")) return getuid() == (uid_t)atoi(argv[2]) ? 0 : 1;
  if (!strcmp(what, "gid")) return getgid() == (gid_t)atoi(argv[2]) ? 0 : 1;
  if (!strcmp(what, "env") && argc == 4) {
    const char *v = getenv(argv[2]);
    if (!strcmp(argv[3], "-")) return v == NULL ? 0 : 1;
    return v != NULL && !strcmp(v, argv[3]) ? 0 : 1;
  }
  return 2;
}
