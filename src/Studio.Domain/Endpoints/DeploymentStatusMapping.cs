using Studio.Domain.Jobs;

namespace Studio.Domain.Endpoints;

/// <summary>
/// Turns what the cluster shows of a deployment (its rollout and the pods of its latest template) into a
/// <see cref="DeploymentObservation"/>: ready N of M, whether the rollout is complete, and the first failure the pods show
/// in Azure ML's words (§6.2) — <c>PodUnschedulable</c> with the scheduler's reason, <c>ImagePullLoopBackOff</c>,
/// <c>PodOutOfMemory</c>, a failed <c>storage-initializer</c>, <c>UserScriptImportError</c> / <c>UserScriptInitFailed</c> when the
/// server says so, <c>DeploymentCrashLoopBackOff</c>, and <c>DeploymentTimeout</c> when the controller's deadline passed.
/// </summary>
public static class DeploymentStatusMapping
{
    private static readonly string[] PullReasons = ["ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"];

    public static DeploymentObservation Observe(DeploymentRollout rollout, IReadOnlyList<PodObservation> pods)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentNullException.ThrowIfNull(pods);
        var (reason, message) = Failure(pods.Where(p => !p.Deleting).ToList());
        if (reason is null && rollout.DeadlineExceeded)
        {
            (reason, message) = (DeploymentFailure.DeploymentTimeout, rollout.DeadlineMessage ?? DeploymentFailure.Explain(DeploymentFailure.DeploymentTimeout));
        }

        return new DeploymentObservation(rollout.Desired, rollout.Ready, rollout.Complete, reason, message);
    }

    private static (string? Reason, string? Message) Failure(List<PodObservation> pods)
    {
        if (pods.FirstOrDefault(p => p.Unschedulable) is { } unschedulable)
        {
            return (DeploymentFailure.PodUnschedulable, $"{DeploymentFailure.Explain(DeploymentFailure.PodUnschedulable)} The scheduler: {unschedulable.SchedulingMessage ?? "no node fits"}");
        }

        var containers = pods.SelectMany(p => p.Containers.Select(c => (Pod: p, Container: c))).ToList();
        if (containers.FirstOrDefault(x => x.Container.Phase == ContainerPhase.Waiting && PullReasons.Contains(x.Container.Reason)) is { Pod: not null } pull)
        {
            return (DeploymentFailure.ImagePullLoopBackOff, $"{DeploymentFailure.Explain(DeploymentFailure.ImagePullLoopBackOff)} {pull.Container.Image}: {pull.Container.Message ?? pull.Container.Reason}");
        }

        if (containers.FirstOrDefault(x => x.Container.Reason == "OOMKilled" || x.Container.LastTerminatedReason == "OOMKilled") is { Pod: not null } oom)
        {
            var limit = oom.Container.MemoryLimitBytes is { } bytes ? $" (limit {HumanUnits.Bytes(bytes)})" : string.Empty;
            return (DeploymentFailure.PodOutOfMemory, $"{DeploymentFailure.Explain(DeploymentFailure.PodOutOfMemory)}{limit}");
        }

        if (containers.FirstOrDefault(x => x.Container.Init && x.Container.Phase == ContainerPhase.Terminated && x.Container.ExitCode is not 0) is { Pod: not null } fetch)
        {
            return (DeploymentFailure.ResourceNotReady, $"The {fetch.Container.Name} step could not fetch the model or code (exit code {fetch.Container.ExitCode}): {fetch.Container.Message ?? fetch.Container.Reason ?? "no message"}");
        }

        // The inference server names a scoring script failure in its termination message (UserScriptImportError: ...).
        foreach (var reason in (string[])[DeploymentFailure.UserScriptImportError, DeploymentFailure.UserScriptInitFailed])
        {
            if (containers.FirstOrDefault(x => !x.Container.Init && x.Container.Message?.Contains(reason, StringComparison.Ordinal) == true) is { Pod: not null } script)
            {
                return (reason, $"{DeploymentFailure.Explain(reason)} {script.Container.Message}");
            }
        }

        var crashing = containers.FirstOrDefault(x => !x.Container.Init && x.Container.Reason == "CrashLoopBackOff");
        if (crashing.Pod is not null)
        {
            return (DeploymentFailure.DeploymentCrashLoopBackOff, $"{DeploymentFailure.Explain(DeploymentFailure.DeploymentCrashLoopBackOff)} Restarts: {crashing.Container.Restarts}.");
        }

        return (null, null);
    }
}
