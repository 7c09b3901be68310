using System.Diagnostics;
using System.Globalization;
using Studio.Leadership.Bench;
using Studio.Sandbox;

// Leader takeover after kill -9: three candidate processes elect a leader (the studio's own electors), the leader is
// killed with SIGKILL, and the time until another candidate leads is measured; ten tries per mechanism.
//   dotnet run -c Release --project bench/Studio.Leadership.Bench [-- --tries 10] [--postgres CONNECTION_STRING] [--only database|lease]
if (args is ["--candidate", var candidateMode, var candidateTarget])
{
    return await Candidate.RunAsync(candidateMode, candidateTarget);
}

var tries = 10;
string? postgresConnection = null;
string? only = null;
for (var i = 0; i < args.Length - 1; i += 2)
{
    switch (args[i])
    {
        case "--tries":
            tries = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            break;
        case "--postgres":
            postgresConnection = args[i + 1];
            break;
        case "--only":
            only = args[i + 1];
            break;
        default:
            Console.Error.WriteLine($"unknown option {args[i]}");
            return 2;
    }
}

Console.WriteLine($"Leader takeover after kill -9 of the leader, {tries} tries, 3 candidate processes ({Environment.ProcessorCount} cores)");
if (only is null or "database")
{
    PostgresProcess? server = null;
    if (postgresConnection is null)
    {
        server = await PostgresProcess.StartAsync();
        postgresConnection = server.ConnectionString;
    }

    try
    {
        Report("PostgreSQL advisory lock (retry 2 s)", await MeasureAsync("database", postgresConnection, tries));
    }
    finally
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}

if (only is null or "lease")
{
    await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Port = 0, Simulate = false });
    var kubeconfig = Path.Combine(Path.GetTempPath(), $"studio-bench-{Guid.NewGuid():N}.kubeconfig");
    await File.WriteAllTextAsync(kubeconfig, sandbox.CreateKubeconfigYaml());
    try
    {
        Report("Kubernetes Lease on the sandbox (lease 8 s, retry 2 s)", await MeasureAsync("lease", kubeconfig, tries));
    }
    finally
    {
        File.Delete(kubeconfig);
    }
}

return 0;

static async Task<List<double>> MeasureAsync(string mode, string target, int tries)
{
    var candidates = Enumerable.Range(0, 3).Select(_ => new CandidateProcess(mode, target)).ToList();
    var takeovers = new List<double>();
    try
    {
        var leader = await FirstLeaderAsync(candidates, TimeSpan.FromSeconds(60));
        for (var attempt = 0; attempt < tries; attempt++)
        {
            await Task.Delay(TimeSpan.FromSeconds(3)); // the others are waiting (and have observed the current lease)
            var clock = Stopwatch.StartNew();
            leader.Kill();
            candidates.Remove(leader);
            leader.Dispose();
            leader = await FirstLeaderAsync(candidates, TimeSpan.FromSeconds(60));
            takeovers.Add(clock.Elapsed.TotalSeconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  try {attempt + 1}: {clock.Elapsed.TotalSeconds:0.00} s"));
            candidates.Add(new CandidateProcess(mode, target));
        }
    }
    finally
    {
        foreach (var candidate in candidates)
        {
            candidate.Dispose();
        }
    }

    return takeovers;
}

static async Task<CandidateProcess> FirstLeaderAsync(List<CandidateProcess> candidates, TimeSpan timeout)
{
    var waiting = candidates.Select(async c =>
    {
        await c.Leading;
        return c;
    }).ToList();
    return await (await Task.WhenAny(waiting).WaitAsync(timeout));
}

static void Report(string what, List<double> seconds)
{
    var sorted = seconds.Order().ToList();
    var median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: min {sorted[0]:0.00} s, median {median:0.00} s, max {sorted[^1]:0.00} s"));
}
