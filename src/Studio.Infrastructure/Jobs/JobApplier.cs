using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Studio.Infrastructure.Compute;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// Applies a job's objects with server-side apply under field manager <c>studio</c> (so a retried submit converges on the
/// same objects), sets owner references to the Job so deletion cascades, deletes jobs, and finds which gang scheduler a
/// cluster offers (API discovery, cached per cluster).
/// </summary>
public sealed class JobApplier
{
    public const string FieldManager = "studio";
    private readonly ConcurrentDictionary<Guid, GangScheduler> _gangs = new();

    /// <summary>Applies the Job, then the objects it owns. Returns the Job's uid.</summary>
    public async Task<string> ApplyAsync(IKubernetes client, IReadOnlyList<ManifestObject> objects, CancellationToken ct)
    {
        foreach (var shared in objects.Where(o => o.Kind == "PriorityClass"))
        {
            // Before the Job: the API server refuses pods whose priority class does not exist yet.
            await client.SchedulingV1.PatchPriorityClassAsync(Patch(shared), shared.Name, fieldManager: FieldManager, force: true, cancellationToken: ct).ConfigureAwait(false);
        }

        var job = objects.First(o => o.Kind == "Job");
        var applied = await client.BatchV1.PatchNamespacedJobAsync(Patch(job), job.Name, job.Namespace, fieldManager: FieldManager, force: true, cancellationToken: ct).ConfigureAwait(false);
        var owned = objects.Where(o => o.Kind is not "Job" and not "PriorityClass").ToList();
        JobManifests.SetOwner(owned, applied.Metadata.Name, applied.Metadata.Uid);
        foreach (var o in owned)
        {
            _ = o.Kind switch
            {
                "Service" => (object)await client.CoreV1.PatchNamespacedServiceAsync(Patch(o), o.Name, o.Namespace, fieldManager: FieldManager, force: true, cancellationToken: ct).ConfigureAwait(false),
                "ConfigMap" => await client.CoreV1.PatchNamespacedConfigMapAsync(Patch(o), o.Name, o.Namespace, fieldManager: FieldManager, force: true, cancellationToken: ct).ConfigureAwait(false),
                "PodGroup" => await client.CustomObjects.PatchNamespacedCustomObjectAsync(Patch(o), "scheduling.volcano.sh", "v1beta1", o.Namespace, "podgroups", o.Name, fieldManager: FieldManager, force: true, cancellationToken: ct).ConfigureAwait(false),
                _ => throw new NotSupportedException($"Studio does not apply {o.Kind} objects for jobs."),
            };
        }

        return applied.Metadata.Uid;
    }

    /// <summary>Deletes the Job; its pods, Service and ConfigMap go with it (background cascade). False when it was already gone.</summary>
    public static async Task<bool> DeleteAsync(IKubernetes client, string @namespace, string name, CancellationToken ct)
    {
        try
        {
            await client.BatchV1.DeleteNamespacedJobAsync(name, @namespace, propagationPolicy: "Background", cancellationToken: ct).ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Volcano when <c>scheduling.volcano.sh</c> is served, else Kueue when <c>kueue.x-k8s.io</c> is, else the pod-group label.</summary>
    public async Task<GangScheduler> GangAsync(Guid clusterId, IKubernetes client, CancellationToken ct)
    {
        if (_gangs.TryGetValue(clusterId, out var known))
        {
            return known;
        }

        GangScheduler gang;
        try
        {
            var groups = await client.Apis.GetAPIVersionsAsync(ct).ConfigureAwait(false);
            var names = groups.Groups.Select(g => g.Name).ToHashSet(StringComparer.Ordinal);
            gang = names.Contains("scheduling.volcano.sh") ? GangScheduler.Volcano : names.Contains("kueue.x-k8s.io") ? GangScheduler.Kueue : GangScheduler.PodGroupLabel;
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            return GangScheduler.PodGroupLabel;
        }

        _gangs[clusterId] = gang;
        return gang;
    }

    private static V1Patch Patch(ManifestObject o) => new(KubernetesJson.Serialize(o.Body), V1Patch.PatchType.ApplyPatch);
}
