using System.Globalization;
using k8s.Models;
using Studio.Domain.Endpoints;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Jobs;

namespace Studio.Infrastructure.Endpoints;

/// <summary>Maps a deployment's Kubernetes Deployment and pods to what <see cref="DeploymentStatusMapping"/> reads (the boundary where V1* types stop).</summary>
public static class EndpointProjections
{
    /// <summary>The rollout of <paramref name="deployment"/>; <paramref name="generation"/> is the record's, which the applied object carries.</summary>
    public static DeploymentRollout ToRollout(V1Deployment deployment, int generation)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var status = deployment.Status;
        var applied = deployment.Metadata?.Annotations is { } a && a.TryGetValue(EndpointManifests.GenerationAnnotation, out var g)
            && int.TryParse(g, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        var observed = applied >= generation && (status?.ObservedGeneration ?? 0) >= (deployment.Metadata?.Generation ?? 0);
        var progressing = status?.Conditions?.FirstOrDefault(c => c?.Type == "Progressing");
        var deadline = progressing is { Status: "False", Reason: "ProgressDeadlineExceeded" };
        return new DeploymentRollout(
            deployment.Spec?.Replicas ?? 1,
            status?.ReadyReplicas ?? 0,
            status?.UpdatedReplicas ?? 0,
            status?.Replicas ?? 0,
            observed,
            deadline,
            deadline ? progressing!.Message : null);
    }

    /// <summary>The pods of the deployment's template of <paramref name="generation"/> (older replicas still serving during a rollout are left out).</summary>
    public static IReadOnlyList<PodObservation> CurrentPods(IEnumerable<V1Pod> pods, int generation)
    {
        ArgumentNullException.ThrowIfNull(pods);
        var wanted = generation.ToString(CultureInfo.InvariantCulture);
        return [.. pods
            .Where(p => p?.Metadata?.Annotations is { } a && a.TryGetValue(EndpointManifests.GenerationAnnotation, out var g) && g == wanted)
            .Select(p => WithFailedInit(p, JobProjections.ToInfo(p).ToObservation()))];
    }

    // A deployment's pods restart always: a failed storage-initializer waits in Init:CrashLoopBackOff with its failure in
    // the last state, which the job projection (restart never) does not read.
    private static PodObservation WithFailedInit(V1Pod pod, PodObservation observed)
    {
        var failed = (pod.Status?.InitContainerStatuses ?? [])
            .Where(s => s?.Name is not null && s.State?.Terminated is null && s.LastState?.Terminated is { ExitCode: not 0 })
            .Select(s => new ContainerObservation(s.Name, s.Image ?? string.Empty, ContainerPhase.Terminated, s.LastState.Terminated.Reason, s.LastState.Terminated.Message, s.LastState.Terminated.ExitCode, s.RestartCount, Init: true))
            .ToList();
        return failed.Count == 0 ? observed : observed with { Containers = [.. failed, .. observed.Containers] };
    }

    /// <summary>What the cluster shows of a deployment, in the domain's terms.</summary>
    public static DeploymentObservation Observe(V1Deployment deployment, IEnumerable<V1Pod> pods, int generation) =>
        DeploymentStatusMapping.Observe(ToRollout(deployment, generation), CurrentPods(pods, generation));
}
