public enum FerriteServerMain { public static func run(arguments: [String]) {} }
