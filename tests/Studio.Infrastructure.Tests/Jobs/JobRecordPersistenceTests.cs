using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Jobs;
using Studio.Infrastructure.Persistence;
using Studio.Infrastructure.Tests.Persistence;
using Studio.Infrastructure.Workspaces;

namespace Studio.Infrastructure.Tests.Jobs;

/// <summary>Job records on both providers: children, uniqueness, concurrency, and the list's filters, sorts and paging.</summary>
[Collection(PostgresCollection.Name)]
public sealed class JobRecordPersistenceTests(PostgresServer postgres)
{
    private static readonly Actor Admin = new("admin", "Admin", WorkspaceRole.Administrator);
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<ServiceProvider> ServicesAsync(DatabaseTarget target)
    {
        var configuration = new ConfigurationBuilder().Build();
        var services = new ServiceCollection().AddLogging();
        var options = target == DatabaseTarget.Sqlite
            ? new DatabaseOptions { Provider = DatabaseProvider.Sqlite }
            : new DatabaseOptions { Provider = DatabaseProvider.PostgreSQL, ConnectionString = await postgres.CreateDatabaseAsync() };
        services.AddStudioPersistence(options, Path.Combine(Path.GetTempPath(), "studio-jobrec-" + Guid.NewGuid().ToString("N")[..8]));
        services.AddStudioKubernetes(configuration);
        services.AddStudioJobs(configuration);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync(Ct);
        return provider;
    }

    internal static JobRecord Record(Guid workspaceId, int i, string state = "Completed", string? experiment = null) => new()
    {
        Id = Guid.NewGuid(),
        WorkspaceId = workspaceId,
        Name = $"job-{i:D5}",
        DisplayName = $"Job {i}",
        Experiment = experiment ?? (i % 2 == 0 ? "even" : "odd"),
        Compute = i % 3 == 0 ? "gpu" : "cpu",
        Namespace = "ns",
        InstanceType = "defaultinstancetype",
        InstanceCount = 1,
        Distribution = nameof(DistributionKind.None),
        Image = "busybox:1.36",
        SubmitterId = i % 5 == 0 ? "bob" : "dana",
        SubmitterName = i % 5 == 0 ? "Bob" : "Dana",
        State = state,
        CreatedAt = T0.AddMinutes(i),
        StartedAt = state == "Queued" ? null : T0.AddMinutes(i).AddSeconds(10),
        StartedUnixSeconds = state == "Queued" ? null : T0.AddMinutes(i).AddSeconds(10).ToUnixTimeSeconds(),
        EndedAt = state is "Completed" or "Failed" or "Canceled" ? T0.AddMinutes(i).AddSeconds(10 + i) : null,
        RunSeconds = state is "Completed" or "Failed" or "Canceled" ? i : null,
        UpdatedAt = T0.AddMinutes(i),
        SearchText = $"job-{i:d5} job {i} {(i % 2 == 0 ? "even" : "odd")} team=vision",
        SpecJson = "{}",
        SubmittedYaml = "command: echo\n",
        ManifestsYaml = "kind: Job\n",
    };

    [Theory]
    [InlineData(DatabaseTarget.Sqlite)]
    [InlineData(DatabaseTarget.PostgreSQL)]
    public async Task Record_WithTransitionsEventsAndPodLogTail_RoundTrips(DatabaseTarget target)
    {
        await using var provider = await ServicesAsync(target);
        var factory = provider.GetRequiredService<IDbContextFactory<StudioDbContext>>();
        var record = Record(Guid.NewGuid(), 1);
        var tail = string.Join('\n', Enumerable.Range(0, 2000).Select(i => $"2026-11-28T12:00:{i % 60:D2}.0000000Z [rank0] epoch {i} loss 0.{i}"));
        record.Transitions.Add(new JobTransitionRecord { State = "Queued", At = T0 });
        record.Transitions.Add(new JobTransitionRecord { State = "Running", At = T0.AddSeconds(5), Reason = null });
        record.Transitions.Add(new JobTransitionRecord { State = "Completed", At = T0.AddSeconds(50), Reason = "Completed" });
        record.Events.Add(new JobEventRecord { Uid = "e1", At = T0.AddSeconds(1), Type = "Normal", Reason = "Scheduled", Message = "Successfully assigned ns/job-00001-0 to node", Object = "Pod/job-00001-0", Count = 1 });
        record.Pods.Add(new JobPodRecord { Name = "job-00001-0", Rank = 0, Role = "main", Phase = "Succeeded", Node = "aks-cpu-0", ExitCode = 0, StartedAt = T0.AddSeconds(5), FinishedAt = T0.AddSeconds(50), LogTail = tail, LogCapturedAt = T0.AddSeconds(51) });
        await using (var db = factory.CreateDbContext())
        {
            db.Jobs.Add(record);
            await db.SaveChangesAsync(Ct);
        }

        await using var read = factory.CreateDbContext();
        var back = await read.Jobs.Include(j => j.Transitions).Include(j => j.Events).Include(j => j.Pods).SingleAsync(j => j.Id == record.Id, Ct);
        Assert.Equal(["Queued", "Running", "Completed"], back.Transitions.OrderBy(t => t.At).Select(t => t.State));
        Assert.Equal(T0.AddSeconds(50), back.Transitions.Max(t => t.At));
        Assert.Equal("Scheduled", Assert.Single(back.Events).Reason);
        Assert.Equal(tail, Assert.Single(back.Pods).LogTail);
        Assert.Equal(T0.AddSeconds(50), back.Pods[0].FinishedAt);
    }

    [Theory]
    [InlineData(DatabaseTarget.Sqlite)]
    [InlineData(DatabaseTarget.PostgreSQL)]
    public async Task SameNameInAWorkspace_IsRejectedByTheDatabase_AndConcurrentWritesAreDetected(DatabaseTarget target)
    {
        await using var provider = await ServicesAsync(target);
        var factory = provider.GetRequiredService<IDbContextFactory<StudioDbContext>>();
        var ws = Guid.NewGuid();
        var first = Record(ws, 7);
        await using (var db = factory.CreateDbContext())
        {
            db.Jobs.Add(first);
            db.Jobs.Add(Record(Guid.NewGuid(), 7));
            await db.SaveChangesAsync(Ct);
        }

        await using (var db = factory.CreateDbContext())
        {
            db.Jobs.Add(Record(ws, 7));
            await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));
        }

        await using var a = factory.CreateDbContext();
        await using var b = factory.CreateDbContext();
        var ra = await a.Jobs.SingleAsync(j => j.Id == first.Id, Ct);
        var rb = await b.Jobs.SingleAsync(j => j.Id == first.Id, Ct);
        ra.State = "Canceled";
        ra.UpdatedAt = T0.AddHours(1);
        await a.SaveChangesAsync(Ct);
        rb.State = "Failed";
        rb.UpdatedAt = T0.AddHours(2);
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => b.SaveChangesAsync(Ct));
    }

    [Theory]
    [InlineData(DatabaseTarget.Sqlite)]
    [InlineData(DatabaseTarget.PostgreSQL)]
    public async Task List_FiltersSortsAndPages_OnTheDatabase(DatabaseTarget target)
    {
        await using var provider = await ServicesAsync(target);
        await provider.GetRequiredService<WorkspaceService>().CreateAsync(Admin, "team", null, Ct);
        await provider.GetRequiredService<WorkspaceService>().CreateAsync(Admin, "other", null, Ct);
        await using (var db = provider.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContext())
        {
            var ids = await db.Workspaces.ToDictionaryAsync(w => w.Name, w => w.Id, Ct);
            db.Jobs.AddRange(Enumerable.Range(1, 120).Select(i => Record(ids["team"], i, i % 10 == 0 ? "Queued" : i % 7 == 0 ? "Failed" : "Completed")));
            db.Jobs.AddRange(Enumerable.Range(1, 5).Select(i => Record(ids["other"], i)));
            await db.SaveChangesAsync(Ct);
        }

        var jobs = provider.GetRequiredService<JobService>();

        var first = (await jobs.ListAsync(Admin, "team", new JobQuery(PageSize: 25), Ct)).Value;
        var failed = (await jobs.ListAsync(Admin, "team", new JobQuery(Status: [JobState.Failed], PageSize: 200), Ct)).Value;
        var unfinishedOrFailed = (await jobs.ListAsync(Admin, "team", new JobQuery(Status: [JobState.Queued, JobState.Failed, JobState.Queued], PageSize: 200), Ct)).Value;
        var gpuByBob = (await jobs.ListAsync(Admin, "team", new JobQuery(Compute: "gpu", Submitter: "bob", PageSize: 200), Ct)).Value;
        var text = (await jobs.ListAsync(Admin, "team", new JobQuery(Text: "JOB-00042"), Ct)).Value;
        var even = (await jobs.ListAsync(Admin, "team", new JobQuery(Experiment: "even", Sort: JobSort.Name, Descending: false, Page: 2, PageSize: 10), Ct)).Value;
        var byDuration = (await jobs.ListAsync(Admin, "team", new JobQuery(Sort: JobSort.Duration, Descending: true, PageSize: 5), Ct)).Value;

        Assert.Equal((120, 25), (first.Total, first.Items.Count));
        Assert.Equal("job-00120", first.Items[0].Name);
        Assert.True(first.Items.Zip(first.Items.Skip(1)).All(p => p.First.CreatedAt > p.Second.CreatedAt));
        Assert.Equal(Enumerable.Range(1, 120).Count(i => i % 10 != 0 && i % 7 == 0), failed.Total);
        Assert.All(failed.Items, j => Assert.Equal(JobState.Failed, j.State));
        Assert.Equal(Enumerable.Range(1, 120).Count(i => i % 10 == 0 || i % 7 == 0), unfinishedOrFailed.Total);
        Assert.All(unfinishedOrFailed.Items, j => Assert.Contains(j.State, new[] { JobState.Queued, JobState.Failed }));
        Assert.Equal(Enumerable.Range(1, 120).Count(i => i % 3 == 0 && i % 5 == 0), gpuByBob.Total);
        Assert.Equal("job-00042", Assert.Single(text.Items).Name);
        Assert.Equal(60, even.Total);
        Assert.Equal(["job-00022", "job-00024"], even.Items.Take(2).Select(j => j.Name));
        Assert.Equal("job-00119", byDuration.Items[0].Name);
        Assert.All(first.Items, j => Assert.Equal("team", j.Workspace));
    }
}
