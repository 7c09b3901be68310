namespace Studio.Sandbox;

/// <summary>Parses the sandbox's command line and runs it standalone.</summary>
public static class SandboxCommandLine
{
    public static Task<int> RunAsync(string[] args)
    {
        Console.Error.WriteLine("The sandbox API server is not implemented yet.");
        return Task.FromResult(args.Length == 0 ? 1 : 1);
    }
}
