using k8s;
using Studio.Domain.Common;
using Studio.Domain.InstanceTypes;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Jobs;

namespace Studio.Infrastructure.Tests.Jobs;

public sealed class JobSandboxTests(JobsFixture fixture) : IClassFixture<JobsFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JobSpec Spec(string command, string image = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20240101", string? instanceType = null, int instances = 1) =>
        new() { Compute = TestWorkspace.Compute, Command = command, Image = image, InstanceType = instanceType, InstanceCount = instances };

    [Fact]
    public async Task SingleNodeJob_RunsToCompleted_WithItsLogsAndTimeline()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        var changes = new System.Collections.Concurrent.ConcurrentQueue<JobStatusChanged>();
        void OnChanged(JobStatusChanged e)
        {
            if (e.WorkspaceId == ws.Id)
            {
                changes.Enqueue(e);
            }
        }

        fixture.Changes.Changed += OnChanged;

        var submitted = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, Spec("echo hello from studio") with { DisplayName = "Hello world" }, Ct);

        Assert.True(submitted.IsSuccess, string.Join("; ", submitted.Errors.Select(e => $"{e.Field}: {e.Message}")));
        Assert.StartsWith("hello-world-", submitted.Value.Name, StringComparison.Ordinal);
        var done = await fixture.WaitForStateAsync(ws, submitted.Value.Name, JobState.Completed, Ct);
        Assert.Equal(JobState.Queued, done.Timeline[0].State);
        Assert.Equal(JobState.Completed, done.Timeline[^1].State);
        Assert.NotNull(done.Summary.EndedAt);
        var pod = Assert.Single(done.Pods);
        Assert.Equal(("Succeeded", 0, "main"), (pod.Phase, pod.Rank, pod.Role));
        Assert.NotNull(pod.Node);
        var logs = await fixture.Logs.LogsAsync(ws.Reader, ws.Name, submitted.Value.Name, null, null, Ct);
        Assert.Contains(logs.Value, l => l.Text.Contains("hello from studio", StringComparison.Ordinal));
        var listed = await fixture.Queries.ListAsync(ws.Reader, ws.Name, new JobQuery(Status: [JobState.Completed]), Ct);
        Assert.Equal(submitted.Value.Name, Assert.Single(listed.Value.Items).Name);
        fixture.Changes.Changed -= OnChanged;
        Assert.Equal(JobState.Queued, changes.First().State);
        Assert.Contains(changes, c => c.State == JobState.Completed && c.Job == submitted.Value.Name);
    }

    [Fact]
    public async Task PyTorchJob_WithTwoInstances_GetsIndexedPodsWithRendezvousVariables()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        var spec = Spec("python train.py --epochs ${{inputs.epochs}}", instances: 2) with
        {
            Inputs = new Dictionary<string, string> { ["epochs"] = "3" },
            Distribution = new Distribution(DistributionKind.PyTorch, ProcessCountPerInstance: 2),
        };

        var submitted = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, spec, Ct);

        Assert.True(submitted.IsSuccess, string.Join("; ", submitted.Errors.Select(e => $"{e.Field}: {e.Message}")));
        var name = submitted.Value.Name;
        var running = await fixture.WaitAsync(ws, name, d => d.Pods.Count(p => p.Phase == "Running") == 2, Ct);
        Assert.Equal([0, 1], running.Pods.Select(p => p.Rank));
        Assert.Equal(["master", "worker"], running.Pods.Select(p => p.Role));
        var job = await fixture.WaitForKubernetesJobAsync(ws, name, Ct);
        var kubernetesName = job.Metadata.Name;
        Assert.Equal(("Indexed", 2, 2), (job.Spec.CompletionMode, job.Spec.Parallelism, job.Spec.Completions));
        var service = await fixture.Client.CoreV1.ReadNamespacedServiceAsync(kubernetesName, ws.Namespace, cancellationToken: Ct);
        Assert.Equal("None", service.Spec.ClusterIP);
        Assert.Equal(kubernetesName, Assert.Single(service.Metadata.OwnerReferences).Name);
        var pods = (await fixture.Client.CoreV1.ListNamespacedPodAsync(ws.Namespace, labelSelector: $"studio.io/job={kubernetesName}", cancellationToken: Ct)).Items.OrderBy(p => p.Metadata.Name).ToList();
        Assert.Equal(2, pods.Count);
        foreach (var pod in pods)
        {
            var env = pod.Spec.Containers[0].Env.ToDictionary(e => e.Name);
            Assert.Equal($"{kubernetesName}-0.{kubernetesName}.{ws.Namespace}.svc.cluster.local", env["MASTER_ADDR"].Value);
            Assert.Equal("29500", env["MASTER_PORT"].Value);
            Assert.Equal("4", env["WORLD_SIZE"].Value);
            Assert.Equal("2", env["NPROC_PER_NODE"].Value);
            Assert.Equal("metadata.annotations['batch.kubernetes.io/job-completion-index']", env["NODE_RANK"].ValueFrom.FieldRef.FieldPath);
            Assert.Equal("metadata.annotations['batch.kubernetes.io/job-completion-index']", env["RANK"].ValueFrom.FieldRef.FieldPath);
            Assert.Equal(kubernetesName, pod.Spec.Subdomain);
            Assert.Equal(kubernetesName, pod.Metadata.Labels["scheduling.x-k8s.io/pod-group"]);
            Assert.Equal("2", pod.Metadata.Annotations["scheduling.x-k8s.io/min-member"]);
            Assert.Contains("--epochs 3", pod.Spec.Containers[0].Args[0], StringComparison.Ordinal);
        }

        Assert.Equal(["0", "1"], pods.Select(p => p.Metadata.Annotations["batch.kubernetes.io/job-completion-index"]).Order());
        var done = await fixture.WaitForStateAsync(ws, name, JobState.Completed, Ct);
        var logs = await fixture.Logs.LogsAsync(ws.Scientist, ws.Name, name, null, null, Ct);
        Assert.Contains(logs.Value, l => l.Rank == 0);
        Assert.Contains(logs.Value, l => l.Rank == 1);
        Assert.All(done.Pods, p => Assert.Equal("Succeeded", p.Phase));
    }

    [Fact]
    public async Task JobThatCanNeverFit_IsExplainedAsNeverStarting_NotAsWaiting()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        // One A100 node with one GPU: three gang-placed GPU instances can never run together.
        var preflight = await fixture.Submissions.PreflightAsync(ws.Scientist, ws.Name, Spec("echo never", instanceType: "gpu-a100", instances: 3), Ct);
        Assert.Equal(FitVerdict.NeverFits, preflight.Value.Verdict);
        var submitted = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, Spec("echo never", instanceType: "gpu-a100", instances: 3), Ct);
        Assert.True(submitted.IsSuccess, string.Join("; ", submitted.Errors.Select(e => $"{e.Field}: {e.Message}")));

        // Said from the nodes at once, not only after the scheduler has marked the pods unschedulable.
        var first = await fixture.WaitAsync(ws, submitted.Value.Name, d => d.Explanation is not null, Ct);
        Assert.Equal(ExplanationKind.NeverFits, first.Explanation!.Kind);

        var queued = await fixture.WaitAsync(ws, submitted.Value.Name, d => d.Summary.Reason == JobStatusMapping.Unschedulable, Ct);

        Assert.Equal(JobState.Queued, queued.Summary.State);
        Assert.Equal(ExplanationKind.NeverFits, queued.Explanation!.Kind);
        Assert.StartsWith("Cannot start on this cluster: at most 1 instance of gpu-a100", queued.Explanation!.Title, StringComparison.Ordinal);
        Assert.Contains("will not start by itself", queued.Explanation.Hint, StringComparison.Ordinal);
        Assert.Null(queued.Explanation.JobsAhead);
        Assert.True((await fixture.Cancellations.CancelAsync(ws.Scientist, ws.Name, submitted.Value.Name, Ct)).IsSuccess);
    }

    [Fact]
    public async Task JobThatCannotFitNow_StaysQueuedWithAnExplanation_AndStartsWhenCapacityFrees()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        // The only A100 node has one GPU: a long job takes it, a second one must wait.
        var blocker = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, Spec("sleep infinity", instanceType: "gpu-a100"), Ct);
        Assert.True(blocker.IsSuccess, string.Join("; ", blocker.Errors.Select(e => $"{e.Field}: {e.Message}")));
        await fixture.WaitForStateAsync(ws, blocker.Value.Name, JobState.Running, Ct);

        var preflight = await fixture.Submissions.PreflightAsync(ws.Scientist, ws.Name, Spec("echo waited", instanceType: "gpu-a100"), Ct);
        Assert.Equal(FitVerdict.WillQueue, preflight.Value.Verdict);
        var waiting = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, Spec("echo waited", instanceType: "gpu-a100"), Ct);
        var queued = await fixture.WaitAsync(ws, waiting.Value.Name, d => d.Summary.Reason == JobStatusMapping.Unschedulable, Ct);

        Assert.Equal(JobState.Queued, queued.Summary.State);
        Assert.NotNull(queued.Explanation);
        Assert.Equal(ExplanationKind.Pending, queued.Explanation.Kind);
        Assert.Contains("GPU", queued.Explanation.Detail, StringComparison.Ordinal);
        Assert.Contains(queued.Explanation.Pools, p => p.StartsWith("gpua100", StringComparison.Ordinal) && p.Contains("largest free block", StringComparison.Ordinal));
        Assert.Contains(queued.Pods, p => p.Reason == JobStatusMapping.Unschedulable);

        Assert.True((await fixture.Cancellations.CancelAsync(ws.Scientist, ws.Name, blocker.Value.Name, Ct)).IsSuccess);
        var done = await fixture.WaitForStateAsync(ws, waiting.Value.Name, JobState.Completed, Ct);
        Assert.Contains(done.Timeline, t => t.State == JobState.Running || t.State == JobState.Starting);
    }

    [Fact]
    public async Task JobThatRunsOutOfMemory_FailsAsOOMKilled_NamingTheMemoryLimit()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        var spec = Spec("python train.py", instanceType: "cpu-small") with { PodAnnotations = new Dictionary<string, string> { ["sandbox.studio/memory"] = "6Gi" } };

        var submitted = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, spec, Ct);

        var failed = await fixture.WaitForStateAsync(ws, submitted.Value.Name, JobState.Failed, Ct);
        Assert.Equal(JobStatusMapping.OomKilled, failed.Summary.Reason);
        Assert.Equal(ExplanationKind.Failure, failed.Explanation!.Kind);
        Assert.Contains("4 GiB", failed.Explanation.Detail, StringComparison.Ordinal);
        Assert.NotNull(failed.Explanation.Hint);
    }

    [Fact]
    public async Task JobWhoseImageCannotBePulled_FailsAsImagePullBackOff_NamingTheImage_AndIsStopped()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        const string image = "registry.example.com/team/does-not-exist:1.0";

        var submitted = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, Spec("python train.py", image), Ct);

        var failed = await fixture.WaitForStateAsync(ws, submitted.Value.Name, JobState.Failed, Ct);
        Assert.Equal(JobStatusMapping.ImagePullBackOff, failed.Summary.Reason);
        Assert.Contains(image, failed.Explanation!.Detail, StringComparison.Ordinal);
        var kubernetesName = await fixture.KubernetesNameAsync(ws, submitted.Value.Name, Ct);
        await WaitUntilAsync(async () => (await fixture.Client.BatchV1.ListNamespacedJobAsync(ws.Namespace, cancellationToken: Ct)).Items.All(j => j.Metadata.Name != kubernetesName));
    }

    [Fact]
    public async Task Cancel_DeletesThePods_AndRecordsCanceled()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        var submitted = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, Spec("sleep infinity", instances: 2) with { Distribution = new Distribution(DistributionKind.Mpi, ProcessCountPerInstance: 1) }, Ct);
        await fixture.WaitForStateAsync(ws, submitted.Value.Name, JobState.Running, Ct);

        var reader = await fixture.Cancellations.CancelAsync(ws.Reader, ws.Name, submitted.Value.Name, Ct);
        Assert.Equal(ErrorKind.Forbidden, Assert.Single(reader.Errors).Kind);
        var canceled = await fixture.Cancellations.CancelAsync(ws.Scientist, ws.Name, submitted.Value.Name, Ct);

        Assert.True(canceled.IsSuccess, string.Join("; ", canceled.Errors.Select(e => e.Message)));
        Assert.Equal(JobState.Canceled, canceled.Value.State);
        var kubernetesName = await fixture.KubernetesNameAsync(ws, submitted.Value.Name, Ct);
        await WaitUntilAsync(async () => (await fixture.Client.CoreV1.ListNamespacedPodAsync(ws.Namespace, labelSelector: $"studio.io/job={kubernetesName}", cancellationToken: Ct)).Items.Count == 0);
        var detail = await fixture.Queries.GetAsync(ws.Scientist, ws.Name, submitted.Value.Name, Ct);
        Assert.Equal(JobState.Canceled, detail.Value.Timeline[^1].State);
        Assert.Equal(JobState.Canceled, detail.Value.Summary.State);
        Assert.Equal("job_finished", Assert.Single((await fixture.Cancellations.CancelAsync(ws.Scientist, ws.Name, submitted.Value.Name, Ct)).Errors).Code);
    }

    [Fact]
    public async Task ResubmitOfTheSameRequest_ReturnsTheSameJob_AndCreatesNoSecond()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        var requestId = Guid.NewGuid().ToString();

        var first = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, Spec("sleep 5"), requestId, Ct);
        var again = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, Spec("sleep 5"), requestId, Ct);
        var other = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, Spec("sleep 5"), Guid.NewGuid().ToString(), Ct);

        Assert.True(first.Value.Created);
        Assert.Equal((first.Value.Name, false), (again.Value.Name, again.Value.Created));
        Assert.NotEqual(first.Value.Name, other.Value.Name);
        await fixture.WaitForKubernetesJobAsync(ws, first.Value.Name, Ct);
        await fixture.WaitForKubernetesJobAsync(ws, other.Value.Name, Ct);
        var jobs = await fixture.Client.BatchV1.ListNamespacedJobAsync(ws.Namespace, cancellationToken: Ct);
        Assert.Equal(2, jobs.Items.Count);
        Assert.Equal(2, (await fixture.Queries.ListAsync(ws.Reader, ws.Name, new JobQuery(), Ct)).Value.Total);
    }

    [Fact]
    public async Task Record_SurvivesDeletingTheNamespace_WithTimelinePodsAndLogTail()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        var submitted = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, Spec("echo kept after the cluster forgets"), Ct);
        await fixture.WaitAsync(ws, submitted.Value.Name, d => d.Summary.State == JobState.Completed && d.Pods.All(p => p.HasLogTail), Ct);

        await fixture.Client.CoreV1.DeleteNamespaceAsync(ws.Namespace, cancellationToken: Ct);
        await WaitUntilAsync(async () => (await fixture.Client.CoreV1.ListNamespaceAsync(cancellationToken: Ct)).Items.All(n => n.Metadata.Name != ws.Namespace));

        var detail = await fixture.Queries.GetAsync(ws.Reader, ws.Name, submitted.Value.Name, Ct);
        Assert.True(detail.IsSuccess);
        Assert.Equal(JobState.Completed, detail.Value.Summary.State);
        Assert.Contains(detail.Value.Timeline, t => t.State == JobState.Completed);
        var pod = Assert.Single(detail.Value.Pods);
        Assert.False(pod.Live);
        Assert.NotNull(pod.Node);
        Assert.Contains("kind: Job", detail.Value.AppliedManifests, StringComparison.Ordinal);
        Assert.NotEmpty(detail.Value.Events);
        var logs = await fixture.Logs.LogsAsync(ws.Reader, ws.Name, submitted.Value.Name, null, null, Ct);
        Assert.Contains(logs.Value, l => l.Text.Contains("kept after the cluster forgets", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Jobs_AreInvisibleToOtherWorkspaces_AndReadersCannotSubmit()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        var other = await fixture.NewWorkspaceAsync(Ct);
        var submitted = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, Spec("sleep 2"), Ct);

        Assert.Equal(ErrorKind.Forbidden, Assert.Single((await fixture.Submissions.SubmitAsync(ws.Reader, ws.Name, Spec("sleep 2"), Ct)).Errors).Kind);
        Assert.Equal(ErrorKind.NotFound, Assert.Single((await fixture.Queries.GetAsync(other.Scientist, ws.Name, submitted.Value.Name, Ct)).Errors).Kind);
        Assert.Equal(ErrorKind.NotFound, Assert.Single((await fixture.Queries.GetAsync(other.Scientist, other.Name, submitted.Value.Name, Ct)).Errors).Kind);
        Assert.Equal(ErrorKind.NotFound, Assert.Single((await fixture.Queries.ListAsync(other.Scientist, ws.Name, new JobQuery(), Ct)).Errors).Kind);
        Assert.Empty((await fixture.Queries.ListAsync(other.Scientist, other.Name, new JobQuery(), Ct)).Value.Items);
    }

    [Fact]
    public async Task Submit_WithUnknownComputeInstanceTypeAndEnvironment_NamesEachField()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);

        var result = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, Spec("echo x") with { Compute = "nope" }, Ct);
        var type = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, Spec("echo x", instanceType: "gpu-h200"), Ct);
        var env = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, Spec("echo x") with { Image = null, Environment = "my-env@latest" }, Ct);

        Assert.Equal("compute", Assert.Single(result.Errors).Field);
        Assert.Contains("train", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal("resources.instance_type", Assert.Single(type.Errors).Field);
        Assert.Contains("gpu-a100", type.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal("environment", Assert.Single(env.Errors).Field);
    }

    [Fact]
    public async Task Preflight_ForAnInstanceTypeBiggerThanAnyNode_NeverFits_AndNamesTheClosestInstanceType()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);

        var report = await fixture.Submissions.PreflightAsync(ws.Scientist, ws.Name, Spec("echo x", instanceType: "huge"), Ct);

        Assert.Equal(FitVerdict.NeverFits, report.Value.Verdict);
        Assert.NotNull(report.Value.ClosestInstanceType);
        Assert.Contains("never", report.Value.Summary, StringComparison.OrdinalIgnoreCase);
        Assert.True(report.Value.Image.Valid);
        Assert.Empty(report.Value.Errors);
        var fits = await fixture.Submissions.PreflightAsync(ws.Scientist, ws.Name, Spec("echo x", instanceType: "cpu-small", instances: 2), Ct);
        Assert.Equal(FitVerdict.FitsNow, fits.Value.Verdict);
    }

    [Fact]
    public async Task FollowLogs_StreamsLinesOfAllRanks_UntilTheJobEnds()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        var submitted = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, Spec("torchrun train.py", instances: 2) with { Distribution = new Distribution(DistributionKind.PyTorch, 1) }, Ct);

        var stream = await fixture.Logs.FollowLogsAsync(ws.Reader, ws.Name, submitted.Value.Name, null, 10, Ct);
        Assert.True(stream.IsSuccess);
        var ranks = new HashSet<int>();
        var lines = 0;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await foreach (var line in stream.Value.WithCancellation(timeout.Token))
        {
            ranks.Add(line.Rank);
            lines++;
        }

        Assert.Equal([0, 1], ranks.Order());
        Assert.True(lines > 4, $"only {lines} lines");
        Assert.False(timeout.IsCancellationRequested, "the stream did not end with the job");
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(200, Ct);
        }

        Assert.Fail("The condition was not met in time.");
    }
}
