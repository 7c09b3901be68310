using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Studio.Infrastructure.Kubernetes;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// Applies a job's objects through the <see cref="ServerSideApplier"/> (so a retried submit converges on the
/// same objects), sets owner references to the Job so deletion cascades, deletes jobs, and finds which gang scheduler a
/// cluster offers (API discovery, cached per cluster).
/// </summary>
public sealed class JobApplier
{
    private readonly ConcurrentDictionary<Guid, GangScheduler> _gangs = new();

    /// <summary>Applies the Job, then the objects it owns. Returns the Job's uid.</summary>
    public async Task<string> ApplyAsync(IKubernetes client, IReadOnlyList<ManifestObject> objects, CancellationToken ct)
    {
        foreach (var shared in objects.Where(o => o.Kind == "PriorityClass"))
        {
            // Before the Job: the API server refuses pods whose priority class does not exist yet.
            await ServerSideApplier.ApplyAsync(client, shared, ct).ConfigureAwait(false);
        }

        var job = objects.First(o => o.Kind == "Job");
        var applied = await ServerSideApplier.ApplyAsync<V1Job>(client, job, ct).ConfigureAwait(false);
        var owned = objects.Where(o => o.Kind is not "Job" and not "PriorityClass").ToList();
        JobManifests.SetOwner(owned, applied.Metadata.Name, applied.Metadata.Uid);
        foreach (var o in owned)
        {
            await ServerSideApplier.ApplyAsync(client, o, ct).ConfigureAwait(false);
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
}
