namespace Studio.Sandbox;

/// <summary>Entry point of the standalone sandbox cluster (<c>dotnet run --project src/Studio.Sandbox</c>).</summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => SandboxCommandLine.RunAsync(args);
}
