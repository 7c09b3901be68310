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

    internal static TrainingJob Record(Guid workspaceId, int i, string state = "Completed", string? experiment = null)
    {
        var submission = TestJobs.Submission(
            workspaceId, $"job-{i:D5}", compute: i % 3 == 0 ? "gpu" : "cpu", submitterId: i % 5 == 0 ? "bob" : "dana", submitterName: i % 5 == 0 ? "Bob" : "Dana",
            experiment: experiment ?? (i % 2 == 0 ? "even" : "odd"), displayName: $"Job {i}", searchText: $"job-{i:d5} job {i} {(i % 2 == 0 ? "even" : "odd")} team=vision");
        var created = T0.AddMinutes(i);
        return TestJobs.InState(submission, Enum.Parse<JobState>(state), created, state == "Queued" ? null : created.AddSeconds(10), created.AddSeconds(10 + i));
    }

    [Theory]
    [InlineData(DatabaseTarget.Sqlite)]
    [InlineData(DatabaseTarget.PostgreSQL)]
    public async Task Record_WithTransitionsEventsAndPodLogTail_RoundTrips(DatabaseTarget target)
    {
        await using var provider = await ServicesAsync(target);
        var factory = provider.GetRequiredService<IDbContextFactory<StudioDbContext>>();
        var record = TestJobs.InState(TestJobs.Submission(Guid.NewGuid(), "job-00001"), JobState.Queued, T0);
        var tail = string.Join('\n', Enumerable.Range(0, 2000).Select(i => $"2026-11-28T12:00:{i % 60:D2}.0000000Z [rank0] epoch {i} loss 0.{i}"));
        record.Observe(TestJobs.Running(), T0.AddSeconds(5), T0.AddSeconds(5));
        record.KeepEvent("e1", T0.AddSeconds(1), "Normal", "Scheduled", "Successfully assigned ns/job-00001-0 to node", "Pod/job-00001-0", 1, max: 200, T0.AddSeconds(6));
        var pod = new PodObservation("job-00001-0", 0, "Succeeded", "aks-cpu-0", [new ContainerObservation("main", "busybox:1.36", ContainerPhase.Terminated, "Completed", ExitCode: 0)]);
        record.ObservePod(pod, "main", T0.AddSeconds(5), T0.AddSeconds(50), T0.AddSeconds(50));
        record.Observe(new JobObservation(true, [new JobConditionObservation("Complete", true)], 0, 1, 0, [pod]), T0.AddSeconds(50));
        record.KeepLogTail("job-00001-0", tail, T0.AddSeconds(51));
        await using (var db = factory.CreateDbContext())
        {
            db.Jobs.Add(record);
            await db.SaveChangesAsync(Ct);
        }

        await using var read = factory.CreateDbContext();
        var back = await read.Jobs.Include(j => j.Transitions).Include(j => j.Events).Include(j => j.Pods).SingleAsync(j => j.Id == record.Id, Ct);
        Assert.Equal([JobState.Queued, JobState.Running, JobState.Completed], back.Transitions.OrderBy(t => t.At).Select(t => t.State));
        Assert.Equal((JobState.Completed, "main", 0), (back.State, back.Pods[0].Role, back.Pods[0].ExitCode));
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
        var second = Record(ws, 8, "Queued");
        await using (var db = factory.CreateDbContext())
        {
            db.Jobs.Add(first);
            db.Jobs.Add(second);
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
        var ra = await a.Jobs.SingleAsync(j => j.Id == second.Id, Ct);
        var rb = await b.Jobs.SingleAsync(j => j.Id == second.Id, Ct);
        Assert.True(ra.Cancel("Admin", T0.AddHours(1)).IsSuccess);
        await a.SaveChangesAsync(Ct);
        Assert.True(rb.Observe(JobObservation.Missing, T0.AddHours(2)));
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

        var first = (await provider.GetRequiredService<JobQueryService>().ListAsync(Admin, "team", new JobQuery(PageSize: 25), Ct)).Value;
        var failed = (await provider.GetRequiredService<JobQueryService>().ListAsync(Admin, "team", new JobQuery(Status: [JobState.Failed], PageSize: 200), Ct)).Value;
        var unfinishedOrFailed = (await provider.GetRequiredService<JobQueryService>().ListAsync(Admin, "team", new JobQuery(Status: [JobState.Queued, JobState.Failed, JobState.Queued], PageSize: 200), Ct)).Value;
        var gpuByBob = (await provider.GetRequiredService<JobQueryService>().ListAsync(Admin, "team", new JobQuery(Compute: "gpu", Submitter: "bob", PageSize: 200), Ct)).Value;
        var text = (await provider.GetRequiredService<JobQueryService>().ListAsync(Admin, "team", new JobQuery(Text: "JOB-00042"), Ct)).Value;
        var even = (await provider.GetRequiredService<JobQueryService>().ListAsync(Admin, "team", new JobQuery(Experiment: "even", Sort: JobSort.Name, Descending: false, Page: 2, PageSize: 10), Ct)).Value;
        var byDuration = (await provider.GetRequiredService<JobQueryService>().ListAsync(Admin, "team", new JobQuery(Sort: JobSort.Duration, Descending: true, PageSize: 5), Ct)).Value;

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
