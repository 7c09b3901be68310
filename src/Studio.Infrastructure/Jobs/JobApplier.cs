using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Studio.Domain.Jobs;
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
        await EnsureNotTakenAsync(client, job, ct).ConfigureAwait(false);
        var applied = await ServerSideApplier.ApplyAsync<V1Job>(client, job, ct).ConfigureAwait(false);
        var owned = objects.Where(o => o.Kind is not "Job" and not "PriorityClass").ToList();
        JobManifests.SetOwner(owned, applied.Metadata.Name, applied.Metadata.Uid);
        foreach (var o in owned)
        {
            await ServerSideApplier.ApplyAsync(client, o, ct).ConfigureAwait(false);
        }

        return applied.Metadata.Uid;
    }

    /// <summary>
    /// Refuses to apply over a Job of the same name in the namespace that is not this job's — another workspace's, or not
    /// Studio's: a server-side apply would take it over. Names are unique per namespace (<see cref="JobNames.KubernetesName"/>);
    /// this is the guarantee when they are not.
    /// </summary>
    internal static async Task EnsureNotTakenAsync(IKubernetes client, ManifestObject job, CancellationToken ct)
    {
        var live = await ServerSideApplier.ReadAsync(client, job, ct).ConfigureAwait(false);
        if (live is null)
        {
            return;
        }

        var liveLabels = live["metadata"]?["labels"];
        var ours = JsonNode.Parse(KubernetesJson.Serialize(job.Body))?["metadata"]?["labels"]?[JobManifests.WorkspaceIdLabel]?.GetValue<string>();
        var theirs = liveLabels?[JobManifests.WorkspaceIdLabel]?.GetValue<string>();
        if (liveLabels?[JobManifests.JobLabel] is null || !string.Equals(ours, theirs, StringComparison.Ordinal))
        {
            throw new JobNameTakenException($"A Kubernetes Job named '{job.Name}' already exists in namespace '{job.Namespace}' and belongs to {(liveLabels?[JobManifests.JobLabel] is null ? "something other than Studio" : "another workspace")}; Studio does not take it over. Submit the job under another name.");
        }
    }

    /// <summary>
    /// Deletes the record's Job when it is the record's (<see cref="TrainingJob.Owns"/>), with its uid as precondition so a
    /// Job re-created meanwhile under the name is left alone; its pods, Service and ConfigMap go with it. False when it
    /// was already gone or is not the record's.
    /// </summary>
    public static async Task<bool> DeleteOwnedAsync(IKubernetes client, TrainingJob record, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(record);
        V1Job live;
        try
        {
            live = await client.BatchV1.ReadNamespacedJobAsync(record.KubernetesName, record.Namespace, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        if (!record.Owns(live.Metadata?.Labels?.TryGetValue(JobManifests.WorkspaceIdLabel, out var id) == true ? id : null) || live.Metadata?.Labels?.ContainsKey(JobManifests.JobLabel) != true)
        {
            return false;
        }

        try
        {
            var options = new V1DeleteOptions { PropagationPolicy = "Background", Preconditions = new V1Preconditions { Uid = live.Metadata.Uid } };
            await client.BatchV1.DeleteNamespacedJobAsync(record.KubernetesName, record.Namespace, options, propagationPolicy: "Background", cancellationToken: ct).ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            return false;
        }
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
