using System.Text;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using Studio.Infrastructure.Leadership;

namespace Studio.Leadership.Bench;

/// <summary>
/// One replica of the election, as a process of its own (so it can be killed with SIGKILL): joins with the studio's own
/// <see cref="ElectedLeadership"/> and elector, and prints <c>LEADING</c> the moment it takes the lead.
/// </summary>
internal static class Candidate
{
    public static async Task<int> RunAsync(string mode, string target)
    {
        var options = new LeadershipOptions { Identity = $"bench/{Environment.ProcessId}" };
        ILeaderElector elector = mode switch
        {
            "database" => new PostgresLeaderElector(target, options, NullLogger<PostgresLeaderElector>.Instance),
            "lease" => new KubernetesLeaseElector(
                new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(new MemoryStream(Encoding.UTF8.GetBytes(await File.ReadAllTextAsync(target))))),
                "default",
                options,
                NullLogger<KubernetesLeaseElector>.Instance),
            _ => throw new ArgumentException($"unknown mode {mode}"),
        };
        await using var leadership = new ElectedLeadership(elector, options.RetryPeriod, NullLogger<ElectedLeadership>.Instance);
        Console.WriteLine("READY");
        while (true)
        {
            var term = await leadership.WaitForTermAsync(CancellationToken.None);
            Console.WriteLine("LEADING");
            await Task.Delay(Timeout.Infinite, term).ContinueWith(_ => { }, TaskScheduler.Default);
            Console.WriteLine("LOST");
        }
    }
}
