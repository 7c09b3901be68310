using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using k8s;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Jobs;
using Studio.Infrastructure.Persistence;

namespace Studio.Jobs.Bench;

/// <summary>
/// Training jobs end to end: submits N jobs through the REST API of an in-process studio (Kestrel, SQLite, embedded
/// sandbox) and reports jobs/s and latency, waits until the tracker has recorded every job as ended, then fills the
/// job table to 10,000 records and times the job list's first page (server side, JobQueryService.ListAsync, and over HTTP).
/// Usage: <c>dotnet run -c Release --project bench/Studio.Jobs.Bench [-- --jobs 1000 --concurrency 16 --speed 50 --records 10000]</c>.
/// </summary>
internal static class JobsBench
{
    public static async Task<int> Main(string[] args)
    {
        var jobCount = Arg(args, "--jobs", 1000);
        var concurrency = Arg(args, "--concurrency", 16);
        var speed = Arg(args, "--speed", 50);
        var records = Arg(args, "--records", 10_000);
        Console.WriteLine($"Jobs benchmark: {jobCount:N0} jobs, {concurrency} concurrent submitters, sandbox speed {speed}×, {records:N0} records for the list, {Environment.ProcessorCount} cores");

        var rps = Arg(args, "--rps", 0);
        Console.WriteLine(rps > 0 ? $"client request budget per cluster: {rps} requests/s (burst {rps * 2})" : "client request budget per cluster: the default (Studio:Clusters, 50 requests/s, burst 100)");
        await using var studio = new BenchStudio(speed, rps > 0 ? rps : null);
        using var http = new HttpClient { BaseAddress = new Uri(studio.BaseUrl), Timeout = TimeSpan.FromMinutes(2) };
        await WaitForComputeAsync(http);

        // Warm-up: JIT, connections, the cluster's informers and discovery cache.
        for (var i = 0; i < 10; i++)
        {
            await SubmitAsync(http, $"warm-{i}", i);
        }

        if (args.Contains("--profile"))
        {
            await ProfileAsync(studio, http);
        }

        var latencies = new double[jobCount];
        var failures = 0;
        var next = -1;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < jobCount)
            {
                var sw = Stopwatch.StartNew();
                if (!await SubmitAsync(http, $"bench-{i}", i))
                {
                    Interlocked.Increment(ref failures);
                }

                latencies[i] = sw.Elapsed.TotalMilliseconds;
            }
        }));
        var submitSeconds = wall.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"submit: {jobCount} jobs in {submitSeconds:0.00} s = {jobCount / submitSeconds:0.0} jobs/s (target ≥ 100/s, p95 ≤ 300 ms); latency p50 {P(latencies, 0.5):0.0} ms, p95 {P(latencies, 0.95):0.0} ms, p99 {P(latencies, 0.99):0.0} ms; {failures} failed"));

        // The objects of jobs answered Queued are applied in the background within the cluster's request budget.
        var applies = studio.Services.GetRequiredService<JobApplyQueue>();
        var pendingAtAnswer = applies.PendingCount;
        while (applies.PendingCount > 0 && wall.Elapsed < TimeSpan.FromMinutes(10))
        {
            await Task.Delay(100);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"apply: {pendingAtAnswer} applies still queued when the last submit was answered; all applied {wall.Elapsed.TotalSeconds:0.0} s after the first submit"));

        // End to end: every job recorded as ended by the tracker (pods ran in the sandbox, statuses came back through the informers).
        var actor = new Actor("local", "Local administrator", WorkspaceRole.Administrator);
        var endedAt = Stopwatch.StartNew();
        var deadline = TimeSpan.FromMinutes(Arg(args, "--wait-minutes", 10));
        int open;
        do
        {
            await Task.Delay(1000);
            open = 0;
            foreach (var state in new[] { JobState.Queued, JobState.Starting, JobState.Running })
            {
                open += (await studio.Services.GetRequiredService<JobQueryService>().ListAsync(actor, "default", new JobQuery(Status: [state], PageSize: 1), CancellationToken.None)).Value.Total;
            }
        }
        while (open > 0 && endedAt.Elapsed < deadline);

        var byState = new List<string>();
        foreach (var state in Enum.GetValues<JobState>())
        {
            var n = (await studio.Services.GetRequiredService<JobQueryService>().ListAsync(actor, "default", new JobQuery(Status: [state], PageSize: 1), CancellationToken.None)).Value.Total;
            if (n > 0)
            {
                byState.Add($"{state} {n}");
            }
        }

        var lifecycle = wall.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"lifecycle: all {jobCount + 10} jobs ended {lifecycle:0.0} s after the first submit ({(jobCount + 10) / lifecycle:0.0} jobs/s through queue, run and status tracking); {string.Join(", ", byState)}{(open > 0 ? $"; {open} still open at the deadline" : string.Empty)}"));

        // The list with 10,000 job records: fill the table, then time the first page.
        var factory = studio.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>();
        await using (var db = factory.CreateDbContext())
        {
            var workspaceId = await db.Workspaces.Where(w => w.Name == "default").Select(w => w.Id).SingleAsync();
            var existing = await db.Jobs.CountAsync();
            var template = await db.Jobs.AsNoTracking().OrderBy(j => j.CreatedAt).FirstAsync();
            var now = DateTimeOffset.UtcNow;
            for (var batch = existing; batch < records; batch += 1000)
            {
                await using var insert = factory.CreateDbContext();
                for (var i = batch; i < Math.Min(records, batch + 1000); i++)
                {
                    insert.Jobs.Add(Record(template, workspaceId, i, now.AddSeconds(-i)));
                }

                await insert.SaveChangesAsync();
            }

            Console.WriteLine($"records: {await db.Jobs.CountAsync():N0} job records in the database");
        }

        var queries = new (string Name, JobQuery Query)[]
        {
            ("first page, newest first", new JobQuery()),
            ("status=Completed", new JobQuery(Status: [JobState.Completed])),
            ("text search", new JobQuery(Text: "bench-99")),
            ("sort by duration", new JobQuery(Sort: JobSort.Duration)),
            ("submitter + experiment, page 40", new JobQuery(Submitter: "local", Experiment: "bench", Page: 40)),
        };
        foreach (var (name, query) in queries)
        {
            var times = new List<double>();
            JobPage<JobSummary>? page = null;
            for (var i = 0; i < 21; i++)
            {
                var sw = Stopwatch.StartNew();
                page = (await studio.Services.GetRequiredService<JobQueryService>().ListAsync(actor, "default", query, CancellationToken.None)).Value;
                times.Add(sw.Elapsed.TotalMilliseconds);
            }

            times.RemoveAt(0);
            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"list ({name}): server median {P(times, 0.5):0.0} ms, p95 {P(times, 0.95):0.0} ms, max {times[^1]:0.0} ms (target ≤ 300 ms); {page!.Items.Count} rows of {page.Total:N0}"));
        }

        var httpTimes = new List<double>();
        for (var i = 0; i < 21; i++)
        {
            var sw = Stopwatch.StartNew();
            using var response = await http.GetAsync("/api/workspaces/default/jobs?pageSize=25");
            await response.Content.ReadAsByteArrayAsync();
            httpTimes.Add(sw.Elapsed.TotalMilliseconds);
        }

        httpTimes.RemoveAt(0);
        httpTimes.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"list over HTTP (GET /api/workspaces/default/jobs, 25 rows): median {P(httpTimes, 0.5):0.0} ms, p95 {P(httpTimes, 0.95):0.0} ms"));
        return failures == 0 ? 0 : 1;
    }

    /// <summary>Where a submit's time goes: the same work sequentially, whole and in parts.</summary>
    private static async Task ProfileAsync(BenchStudio studio, HttpClient http)
    {
        const int n = 40;
        var actor = new Actor("local", "Local administrator", WorkspaceRole.Administrator);
        var factory = studio.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>();
        var spec = new JobSpec { Compute = "local-sandbox", Image = "busybox:1.36", Command = "echo profile" };

        var sw = Stopwatch.StartNew();
        for (var i = 0; i < n; i++)
        {
            await SubmitAsync(http, $"profile-http-{i}", i);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"profile: HTTP submit {sw.Elapsed.TotalMilliseconds / n:0.0} ms each (sequential)"));
        sw.Restart();
        for (var i = 0; i < n; i++)
        {
            await studio.Services.GetRequiredService<JobSubmissionService>().SubmitAsync(actor, "default", spec, $"profile-svc-{i}", CancellationToken.None);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"profile: JobSubmissionService.SubmitAsync {sw.Elapsed.TotalMilliseconds / n:0.0} ms each"));
        sw.Restart();
        for (var i = 0; i < n; i++)
        {
            await studio.Services.GetRequiredService<JobSubmissionService>().PreviewManifestsAsync(actor, "default", spec, CancellationToken.None);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"profile: resolve + build manifests (preview) {sw.Elapsed.TotalMilliseconds / n:0.0} ms each"));
        var plan = new JobPlan("default", "local-sandbox", "studio-local", "profile-x", spec, Studio.Domain.InstanceTypes.InstanceType.Default, "busybox:1.36");
        sw.Restart();
        for (var i = 0; i < n; i++)
        {
            JobManifests.Build(plan);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"profile: build manifests {sw.Elapsed.TotalMilliseconds / n:0.00} ms each"));
        sw.Restart();
        for (var i = 0; i < n; i++)
        {
            JobManifests.ToYaml(JobManifests.Build(plan));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"profile: build + YAML {sw.Elapsed.TotalMilliseconds / n:0.00} ms each"));
        sw.Restart();
        for (var i = 0; i < n; i++)
        {
            await studio.Services.GetRequiredService<JobQueryService>().ListAsync(actor, "default", new JobQuery(PageSize: 1), CancellationToken.None);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"profile: workspace lookup + count query (ListAsync, 1 row) {sw.Elapsed.TotalMilliseconds / n:0.00} ms each"));
        var template = await factory.CreateDbContext().Jobs.AsNoTracking().OrderBy(j => j.CreatedAt).FirstAsync();
        sw.Restart();
        for (var i = 0; i < n; i++)
        {
            await using var db = factory.CreateDbContext();
            db.Jobs.Add(Record(template, template.WorkspaceId, 900_000 + i, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"profile: one job record insert {sw.Elapsed.TotalMilliseconds / n:0.0} ms each"));
        var client = (await studio.Services.GetRequiredService<Studio.Infrastructure.Kubernetes.KubernetesClientFactory>().GetAsync(template.ClusterId, CancellationToken.None)).Value;
        var yaml = template.ManifestsYaml;
        sw.Restart();
        for (var i = 0; i < n; i++)
        {
            var job = k8s.KubernetesYaml.Deserialize<k8s.Models.V1Job>(yaml.Split("---\n")[0]);
            job.Metadata.Name = $"profile-apply-{i}";
            await client.BatchV1.PatchNamespacedJobAsync(new k8s.Models.V1Patch(k8s.KubernetesJson.Serialize(job), k8s.Models.V1Patch.PatchType.ApplyPatch), job.Metadata.Name, template.Namespace, fieldManager: "studio", force: true);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"profile: server-side apply of one Job to the sandbox {sw.Elapsed.TotalMilliseconds / n:0.0} ms each"));
    }

    private static async Task<bool> SubmitAsync(HttpClient http, string requestId, int i)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/workspaces/default/jobs")
        {
            Content = JsonContent.Create(new { compute = "local-sandbox", image = "busybox:1.36", command = $"echo job {i}", displayName = $"bench {i}", experimentName = "bench" }),
        };
        request.Headers.Add("Idempotency-Key", requestId);
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            Console.Error.WriteLine($"submit {requestId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return false;
        }

        return true;
    }

    private static async Task WaitForComputeAsync(HttpClient http)
    {
        for (var i = 0; i < 120; i++)
        {
            try
            {
                var computes = await http.GetFromJsonAsync<JsonElement[]>("/api/workspaces/default/computes");
                if (computes?.Any(c => c.GetProperty("state").GetString() == "Succeeded") == true)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(500);
        }

        throw new InvalidOperationException("The embedded compute target did not become ready.");
    }

    private static TrainingJob Record(TrainingJob template, Guid workspaceId, int i, DateTimeOffset created)
    {
        var job = TrainingJob.Submit(
            new JobSubmission(
                workspaceId, $"filler-{i:D6}", null, $"filler {i}", i % 10 == 0 ? "bench" : $"exp-{i % 37}", template.Compute, template.ClusterId, template.Namespace,
                template.InstanceType, 1 + (i % 4), template.Distribution, template.Image, i % 3 == 0 ? "local" : $"user-{i % 50}", i % 3 == 0 ? "Local administrator" : $"User {i % 50}",
                $"filler-{i:D6} filler {i} exp-{i % 37}", template.SpecJson, template.SubmittedYaml, template.ManifestsYaml, template.Requests, template.Limits),
            created);
        var started = created.AddSeconds(5);
        var ended = created.AddSeconds(5 + (i % 3600));
        job.Observe(new JobObservation(true, [], 1, 0, 0, [new PodObservation("p", 0, "Running", "n", [new ContainerObservation("main", "i", ContainerPhase.Running)])]), started, started);
        switch (i % 7)
        {
            case 0:
                job.Observe(JobObservation.Missing, ended);
                break;
            case 1:
                job.Cancel("bench", ended);
                break;
            default:
                job.Observe(new JobObservation(true, [new JobConditionObservation("Complete", true)], 0, 1, 0, []), ended);
                break;
        }

        // Fillers are history: no live change to announce.
        job.ClearDomainEvents();
        return job;
    }

    private static double P(IReadOnlyList<double> sorted, double q) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;
    }
}
