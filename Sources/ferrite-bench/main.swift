import LoadGen
#if canImport(Glibc)
import Glibc
#endif

exit(FerriteBench.main(Array(CommandLine.arguments.dropFirst())))
