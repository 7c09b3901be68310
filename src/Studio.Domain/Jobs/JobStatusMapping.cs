using System.Globalization;

namespace Studio.Domain.Jobs;

/// <summary>
/// The pure mapping from what the cluster says (Job conditions, pod phases, container states and reasons) to the job's
/// state, a reason code, a plain sentence and a one-line hint. Table-tested; the tracker applies its result through
/// <see cref="JobLifecycle"/>.
/// </summary>
public static class JobStatusMapping
{
    public const string FetchFailed = "FetchFailed";

    /// <summary>The job's conda file could not be installed when its container started.</summary>
    public const string EnvironmentFailed = "EnvironmentFailed";

    /// <summary>How a failed environment preparation starts the container's termination message.</summary>
    public const string EnvironmentFailurePrefix = "Environment could not be prepared:";

    public const string OomKilled = "OOMKilled";
    public const string ImagePullBackOff = "ImagePullBackOff";
    public const string ErrImagePull = "ErrImagePull";
    public const string InvalidImageName = "InvalidImageName";
    public const string BackoffLimitExceeded = "BackoffLimitExceeded";
    public const string DeadlineExceeded = "DeadlineExceeded";
    public const string NodeLost = "NodeLost";
    public const string Unschedulable = "Unschedulable";
    public const string Error = "Error";
    public const string Deleted = "JobDeleted";

    public static JobStatus Map(JobObservation observation)
    {
        if (!observation.Exists)
        {
            return new JobStatus(JobState.Failed, Deleted, "The Kubernetes Job was deleted outside Studio (or its namespace or cluster was removed) before it finished.", "Resubmit the job; Studio keeps this record.");
        }

        var pods = observation.Pods;
        if (Condition(observation, "Complete") || Condition(observation, "SuccessCriteriaMet"))
        {
            return new JobStatus(JobState.Completed, "Completed", Plural(observation.InstanceCount, "instance") + " finished successfully.");
        }

        var failed = observation.Conditions.FirstOrDefault(c => c.Status && c.Type is "Failed" or "FailureTarget");
        if (failed is not null)
        {
            return Failure(failed, pods);
        }

        // A fatal pod condition the Job controller keeps retrying forever: the image cannot be pulled.
        if (ImageProblem(pods) is { } image)
        {
            return image;
        }

        if (pods.Any(p => p.Containers.Any(c => c.Phase == ContainerPhase.Running) && p.Phase == "Running" && !p.Deleting))
        {
            return new JobStatus(JobState.Running, null, RunningMessage(observation));
        }

        var suspended = Condition(observation, "Suspended");
        var live = pods.Where(p => p.Phase is "Pending" or "Running" && !p.Deleting).ToList();
        var unschedulable = live.Where(p => p.Unschedulable || (p.Node is null && p.SchedulingMessage is not null)).ToList();
        if (unschedulable.Count > 0)
        {
            var message = unschedulable.Select(p => p.SchedulingMessage).FirstOrDefault(m => !string.IsNullOrWhiteSpace(m));
            return new JobStatus(
                JobState.Queued,
                Unschedulable,
                SchedulingExplainer.Explain(message),
                "It starts by itself when capacity frees; or pick a smaller instance type or fewer instances.");
        }

        if (live.Any(p => p.Node is not null))
        {
            var pulling = live.SelectMany(p => p.Containers).FirstOrDefault(c => c.Phase == ContainerPhase.Waiting && c.Reason is ErrImagePull);
            if (pulling is not null)
            {
                return new JobStatus(JobState.Starting, ErrImagePull, $"Pulling image '{pulling.Image}' failed; the node retries.", "Check the image name, tag and registry access if this persists.");
            }

            var retrying = pods.SelectMany(p => p.Containers).FirstOrDefault(c => c.Phase == ContainerPhase.Terminated && c.Reason == OomKilled);
            return retrying is not null
                ? new JobStatus(JobState.Starting, "Retrying", $"Retrying after an instance was killed for running out of memory ({Memory(retrying.MemoryBytesOrNull())}).")
                : new JobStatus(JobState.Starting, "ContainerCreating", "Pods are placed; pulling the image and starting containers.");
        }

        if (suspended)
        {
            return new JobStatus(JobState.Queued, "Suspended", "Waiting for the queue to admit the job (quota or capacity in its queue).", "It starts by itself when the queue admits it.");
        }

        if (pods.Count > 0 && pods.All(p => p.Phase == "Succeeded") && observation.Succeeded >= observation.InstanceCount)
        {
            return new JobStatus(JobState.Completed, "Completed", Plural(observation.InstanceCount, "instance") + " finished successfully.");
        }

        return new JobStatus(JobState.Queued, "Pending", "Waiting for the pods to be created and scheduled.");
    }

    private static JobStatus Failure(JobConditionObservation condition, IReadOnlyList<PodObservation> pods)
    {
        // The most specific cause wins: out of memory, image, node lost, then the Job's own reason.
        var oom = pods.SelectMany(p => p.Containers.Select(c => (Pod: p, Container: c)))
            .FirstOrDefault(x => (x.Container.Phase == ContainerPhase.Terminated && x.Container.Reason == OomKilled) || x.Container.LastTerminatedReason == OomKilled);
        if (oom.Container is not null)
        {
            return OutOfMemory(oom.Pod, oom.Container);
        }

        if (ImageProblem(pods, includeTransient: true) is { } image)
        {
            return image;
        }

        if (condition.Reason == DeadlineExceeded || pods.Any(p => p.Reason == DeadlineExceeded))
        {
            return new JobStatus(
                JobState.Failed,
                DeadlineExceeded,
                "The job ran longer than its timeout (limits.timeout) and was stopped." + (condition.Message is { Length: > 0 } m ? $" ({m.TrimEnd('.')}.)" : string.Empty),
                "Raise limits.timeout, or make the job shorter (fewer epochs, checkpoint and resume).");
        }

        if (pods.FirstOrDefault(IsNodeLost) is { } lost)
        {
            return new JobStatus(
                JobState.Failed,
                NodeLost,
                $"Node {lost.Node ?? "(unknown)"} stopped responding while rank {lost.Rank} ran on it; the pod was lost." + (lost.Message is { Length: > 0 } lm ? $" ({lm.TrimEnd('.')}.)" : string.Empty),
                "Resubmit the job; the scheduler places it on a healthy node. Tell IT operations if the node stays down.");
        }

        var fetch = pods.SelectMany(p => p.Containers.Where(c => c.Init && c.Phase == ContainerPhase.Terminated && c.ExitCode is not null and not 0).Select(c => (Pod: p, Container: c)))
            .OrderBy(x => x.Pod.Rank)
            .FirstOrDefault();
        if (fetch.Container is { } failedFetch)
        {
            return new JobStatus(
                JobState.Failed,
                FetchFailed,
                string.Create(CultureInfo.InvariantCulture, $"Rank {fetch.Pod.Rank} could not fetch the job's code or inputs before the command started ({failedFetch.Name} exited with code {failedFetch.ExitCode})") + (failedFetch.Message is { Length: > 0 } fm ? $": {fm.TrimEnd('.')}." : "."),
                "An expired URL means the job waited longer than its URLs last (its timeout, or Studio:Artifacts:UrlLifetime): submit it again. A refused or unreachable one: check that the cluster reaches the studio's address (Studio:Artifacts:PublicUrl) or the datastore.");
        }

        var environment = pods.SelectMany(p => p.Containers.Where(c => !c.Init && c.Phase == ContainerPhase.Terminated && c.ExitCode is not null and not 0 && (c.Message?.TrimStart().StartsWith(EnvironmentFailurePrefix, StringComparison.Ordinal) ?? false)).Select(c => (Pod: p, Container: c)))
            .OrderBy(x => x.Pod.Rank)
            .FirstOrDefault();
        if (environment.Container is { } notPrepared)
        {
            return new JobStatus(
                JobState.Failed,
                EnvironmentFailed,
                notPrepared.Message!.Trim().TrimEnd('.') + ".",
                "Fix the conda file (a package name or version the channels do not have), or use an image that already holds the environment (environment.image).");
        }

        var exited = pods.SelectMany(p => p.Containers.Where(c => !c.Init).Select(c => (Pod: p, Container: c)))
            .Where(x => x.Container.Phase == ContainerPhase.Terminated && x.Container.ExitCode is not null and not 0)
            .OrderBy(x => x.Pod.Rank)
            .FirstOrDefault();
        var cause = exited.Container is null
            ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $" Rank {exited.Pod.Rank} exited with code {exited.Container.ExitCode}{(exited.Container.Reason is { Length: > 0 } r && r != Error ? $" ({r})" : string.Empty)}.");
        if (condition.Reason == BackoffLimitExceeded)
        {
            return new JobStatus(
                JobState.Failed,
                BackoffLimitExceeded,
                "The job failed and used up its retries (max_retries)." + cause,
                "Read the failing rank's log for the error; raise max_retries only for failures that are transient.");
        }

        return new JobStatus(
            JobState.Failed,
            condition.Reason ?? Error,
            (condition.Message is { Length: > 0 } message ? message.TrimEnd('.') + "." : "The job failed.") + cause,
            "Read the failing rank's log for the error.");
    }

    private static JobStatus OutOfMemory(PodObservation pod, ContainerObservation container) => new(
        JobState.Failed,
        OomKilled,
        $"Rank {pod.Rank.ToString(CultureInfo.InvariantCulture)} ran out of memory: the container was killed at its memory limit of {Memory(container.MemoryLimitBytes)} (OOMKilled, exit code 137).",
        "Pick an instance type with more memory, or use less (smaller batch size, gradient checkpointing).");

    private static JobStatus? ImageProblem(IReadOnlyList<PodObservation> pods, bool includeTransient = false)
    {
        var c = pods.Where(p => !p.Deleting).SelectMany(p => p.Containers)
            .FirstOrDefault(c => c.Phase == ContainerPhase.Waiting && (c.Reason is ImagePullBackOff or InvalidImageName or "ErrImageNeverPull" || (includeTransient && c.Reason == ErrImagePull)));
        if (c is null)
        {
            return null;
        }

        var reason = c.Reason == InvalidImageName ? InvalidImageName : ImagePullBackOff;
        var detail = c.Message is { Length: > 0 } m ? $" ({m.TrimEnd('.')}.)" : string.Empty;
        return new JobStatus(
            JobState.Failed,
            reason,
            reason == InvalidImageName ? $"The image name '{c.Image}' is not valid.{detail}" : $"The image '{c.Image}' could not be pulled.{detail}",
            "Check the image name and tag, and that the cluster can reach the registry and has credentials for it.");
    }

    private static bool IsNodeLost(PodObservation p) =>
        p.Reason is NodeLost or "Evicted" or "NodeShutdown" or "Terminated"
        || (p.Message?.Contains("unresponsive", StringComparison.OrdinalIgnoreCase) ?? false)
        || (p.Message?.Contains("node", StringComparison.OrdinalIgnoreCase) == true && p.Message.Contains("lost", StringComparison.OrdinalIgnoreCase));

    private static bool Condition(JobObservation o, string type) => o.Conditions.Any(c => c.Type == type && c.Status);

    private static string RunningMessage(JobObservation o)
    {
        var running = o.Pods.Count(p => p.Phase == "Running" && !p.Deleting);
        return o.InstanceCount <= 1 ? "Running." : string.Create(CultureInfo.InvariantCulture, $"{running} of {o.InstanceCount} instances running.");
    }

    private static string Plural(int n, string noun) => n == 1 ? $"1 {noun}" : string.Create(CultureInfo.InvariantCulture, $"{n} {noun}s");

    private static long? MemoryBytesOrNull(this ContainerObservation c) => c.MemoryLimitBytes;

    /// <summary>Bytes as people read them (2 GiB, 512 MiB); "no limit" when null.</summary>
    public static string Memory(long? bytes)
    {
        return bytes is { } b && b > 0 ? HumanUnits.Bytes(b) : "no limit";
    }
}
