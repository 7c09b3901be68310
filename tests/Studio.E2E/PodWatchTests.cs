using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;
using Studio.E2E.Shared;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Jobs;
using Studio.Infrastructure.Kubernetes;
using Studio.Sandbox.Hosting;

namespace Studio.E2E;

/// <summary>
/// One list+watch per (cluster, kind) for the whole studio: the job pages, the monitoring page and a hub client, all
/// open at once, are fed by one pod watch on the cluster (job pods come from a label index on it).
/// </summary>
public sealed class PodWatchTests(Browser browser) : IClassFixture<Browser>, IAsyncLifetime
{
    private readonly ConcurrentQueue<(string Cluster, string Resource, string Verb)> _requests = new();
    private readonly MeterListener _listener = new();
    private StudioServer _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        // Listening before the studio starts: every request its informers send is seen.
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == RequestMetricsHandler.MeterName && instrument.Name == RequestMetricsHandler.RequestsName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            string? cluster = null, resource = null, verb = null;
            foreach (var tag in tags)
            {
                switch (tag.Key)
                {
                    case "cluster": cluster = tag.Value as string; break;
                    case "resource": resource = tag.Value as string; break;
                    case "verb": verb = tag.Value as string; break;
                }
            }

            _requests.Enqueue((cluster ?? string.Empty, resource ?? string.Empty, verb ?? string.Empty));
        });
        _listener.Start();
        _server = new StudioServer();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _server.DisposeAsync();
    }

    private int Count(string cluster, string resource, string verb) => _requests.Count(r => r.Cluster == cluster && r.Resource == resource && r.Verb == verb);

    [Fact]
    public async Task JobPagesMonitoringAndAHubClient_AreFedByOnePodWatchPerCluster()
    {
        var admin = new Actor("local-admin", "Local administrator", WorkspaceRole.Administrator);
        var spec = new JobSpec { Compute = "local-sandbox", Command = "sleep 30", Image = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20240101", DisplayName = "watch count" };
        await _server.Services.GetRequiredService<SandboxHost>().Ready;
        var submitted = await _server.Services.GetRequiredService<JobSubmissionService>().SubmitAsync(admin, "default", spec, Ct);
        for (var attempt = 0; !submitted.IsSuccess && attempt < 30; attempt++)
        {
            // The embedded sandbox's compute target is attached as the studio starts.
            await Task.Delay(500, Ct);
            submitted = await _server.Services.GetRequiredService<JobSubmissionService>().SubmitAsync(admin, "default", spec, Ct);
        }

        Assert.True(submitted.IsSuccess, string.Join("; ", submitted.Errors.Select(e => e.Message)));
        var job = submitted.Value.Name;
        var cluster = (await _server.Services.GetRequiredService<ClusterService>().GetAsync("sandbox", Ct)).Value.Id.ToString("N");

        var list = await browser.OpenAsync(_server.BaseUrl + "/jobs");
        await Assertions.Expect(list.GetByText("watch count").First).ToBeVisibleAsync(new() { Timeout = 20000 });
        var detail = await browser.OpenAsync(_server.BaseUrl + "/jobs/" + job);
        await Assertions.Expect(detail.GetByTestId("job-state")).ToBeVisibleAsync(new() { Timeout = 20000 });
        var monitoring = await browser.OpenAsync(_server.BaseUrl + "/monitoring?range=1h");
        await Assertions.Expect(monitoring.GetByTestId("jobs-by-state")).ToBeVisibleAsync(new() { Timeout = 20000 });

        await using var hub = new HubConnectionBuilder().WithUrl(_server.BaseUrl + "/hubs/live").Build();
        var updates = 0;
        hub.On<System.Text.Json.JsonElement>("Update", _ => Interlocked.Increment(ref updates));
        await hub.StartAsync(Ct);
        await hub.InvokeAsync("Subscribe", "cluster:sandbox", Ct);
        await hub.InvokeAsync("Subscribe", $"job:default/{job}", Ct);
        for (var waited = 0; Volatile.Read(ref updates) < 2 && waited < 100; waited++)
        {
            await Task.Delay(100, Ct);
        }

        Assert.True(Volatile.Read(ref updates) >= 2, "the hub client got no snapshot");
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);

        Assert.True(Count(cluster, "pods", "list") >= 1, "the studio never listed the sandbox's pods through its client");
        Assert.Equal(1, Count(cluster, "pods", "watch"));
        Assert.Equal(1, Count(cluster, "jobs.batch", "watch"));
        Assert.Equal(1, Count(cluster, "nodes", "watch"));
    }
}
