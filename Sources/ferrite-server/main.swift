import Server

FerriteServerMain.run(arguments: CommandLine.arguments)
