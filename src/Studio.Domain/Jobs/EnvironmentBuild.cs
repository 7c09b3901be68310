using Studio.Domain.Common;

namespace Studio.Domain.Jobs;

/// <summary>
/// The durable record of building one image in the cluster: <see cref="Image"/> is <c>&lt;registry&gt;/studio-env:&lt;tag&gt;</c>,
/// the tag the hash of what it is built from, so one record exists per (registry, tag) and the same context is built
/// once. It moves Building → Succeeded | Failed, and a Failed build may start again (<see cref="Restart"/>); each
/// end raises <see cref="EnvironmentBuildFinished"/>. It keeps where the builder ran, when, the job that asked first,
/// and the end of the builder's log.
/// </summary>
public sealed class EnvironmentBuild : Entity
{
    /// <summary>Longest log tail kept.</summary>
    public const int MaxLogTail = 8 * 1024;

    private EnvironmentBuild()
    {
        Image = Registry = Tag = Namespace = BuilderJob = JobName = string.Empty;
    }

    public Guid Id { get; private set; }

    /// <summary>The image it builds (unique).</summary>
    public string Image { get; private set; }

    public string Registry { get; private set; }

    public string Tag { get; private set; }

    public EnvironmentBuildState State { get; private set; }

    /// <summary>The cluster and namespace the builder runs in (the first job's compute target).</summary>
    public Guid ClusterId { get; private set; }

    public string Namespace { get; private set; }

    /// <summary>The Kubernetes Job that runs the builder.</summary>
    public string BuilderJob { get; private set; }

    /// <summary>The builder's pod, once seen.</summary>
    public string? BuilderPod { get; private set; }

    /// <summary>The workspace and name of the job whose submit started this build (the last start, after a failure).</summary>
    public Guid WorkspaceId { get; private set; }

    public string JobName { get; private set; }

    public DateTimeOffset StartedAt { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    /// <summary>One sentence on why it failed.</summary>
    public string? Failure { get; private set; }

    /// <summary>The last lines of the builder's log, once it ended.</summary>
    public string? LogTail { get; private set; }

    /// <summary>How many times it was started.</summary>
    public int Attempts { get; private set; }

    /// <summary>Starts building the image of <paramref name="tag"/> for job <paramref name="jobName"/>.</summary>
    public static EnvironmentBuild Start(string registry, string tag, Guid clusterId, string @namespace, string builderJob, Guid workspaceId, string jobName, DateTimeOffset at)
    {
        if (string.IsNullOrWhiteSpace(registry) || string.IsNullOrWhiteSpace(tag) || string.IsNullOrWhiteSpace(builderJob) || string.IsNullOrWhiteSpace(jobName))
        {
            throw new DomainException("A build needs a registry, a tag, a builder and the job that asked for it.");
        }

        var build = new EnvironmentBuild
        {
            Id = Guid.NewGuid(),
            Registry = registry.Trim().TrimEnd('/'),
            Tag = tag,
        };
        build.Image = ImageOf(build.Registry, tag);
        build.Begin(clusterId, @namespace, builderJob, workspaceId, jobName, at);
        return build;
    }

    /// <summary>The image a build of <paramref name="tag"/> pushes to <paramref name="registry"/>.</summary>
    public static string ImageOf(string registry, string tag) => $"{registry.Trim().TrimEnd('/')}/studio-env:{tag}";

    /// <summary>Builds a failed image again, for the job that brings its context now.</summary>
    public void Restart(Guid clusterId, string @namespace, string builderJob, Guid workspaceId, string jobName, DateTimeOffset at)
    {
        if (State != EnvironmentBuildState.Failed)
        {
            throw new DomainException($"Only a failed build starts again; this one is {State}.");
        }

        Begin(clusterId, @namespace, builderJob, workspaceId, jobName, at);
    }

    /// <summary>The builder pushed the image.</summary>
    public void Succeed(string? pod, string? logTail, DateTimeOffset at)
    {
        Finish(EnvironmentBuildState.Succeeded, pod, logTail, null, at);
    }

    /// <summary>The builder failed, ran past its time, or is gone: <paramref name="failure"/> says which, in one sentence.</summary>
    public void Fail(string failure, string? pod, string? logTail, DateTimeOffset at)
    {
        if (string.IsNullOrWhiteSpace(failure))
        {
            throw new DomainException("A failed build says why.");
        }

        Finish(EnvironmentBuildState.Failed, pod, logTail, failure, at);
    }

    /// <summary>The builder's pod, once the cluster created it.</summary>
    public bool SeePod(string pod)
    {
        if (BuilderPod == pod)
        {
            return false;
        }

        BuilderPod = pod;
        return true;
    }

    private void Begin(Guid clusterId, string @namespace, string builderJob, Guid workspaceId, string jobName, DateTimeOffset at)
    {
        State = EnvironmentBuildState.Building;
        ClusterId = clusterId;
        Namespace = @namespace;
        BuilderJob = builderJob;
        BuilderPod = null;
        WorkspaceId = workspaceId;
        JobName = jobName;
        StartedAt = at;
        FinishedAt = null;
        Failure = null;
        LogTail = null;
        Attempts++;
    }

    private void Finish(EnvironmentBuildState state, string? pod, string? logTail, string? failure, DateTimeOffset at)
    {
        if (State != EnvironmentBuildState.Building)
        {
            throw new DomainException($"The build of {Image} already ended ({State}).");
        }

        State = state;
        BuilderPod = pod ?? BuilderPod;
        LogTail = logTail is { Length: > MaxLogTail } ? logTail[^MaxLogTail..] : logTail;
        Failure = failure is { Length: > 1024 } ? failure[..1024] : failure;
        FinishedAt = at;
        AddDomainEvent(new EnvironmentBuildFinished(Id, Image, state, Failure, at));
    }
}
