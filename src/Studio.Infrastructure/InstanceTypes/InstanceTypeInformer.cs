using k8s;
using k8s.Models;
using Studio.Infrastructure.Kubernetes.Inventory;

namespace Studio.Infrastructure.InstanceTypes;

/// <summary>
/// The instance types' part of a cluster's inventory: the cluster's InstanceType resources (<c>amlarc.azureml.com/v1alpha1</c>,
/// cluster-scoped) through one shared informer. While the CRD is missing (extension not installed) it is empty,
/// <see cref="Installed"/> is false, and the informer looks again every <see cref="CrdPollInterval"/>. Not part of the
/// inventory's health or first sync.
/// </summary>
public sealed class InstanceTypeInformer
{
    internal InstanceTypeInformer(ClusterInventory inventory)
    {
        Informer = inventory.AddInformer<InstanceTypeResource, InstanceTypeEntry>("instancetypes", ListAsync, Watch, InstanceTypeManifest.ToEntry, raisesChanged: true);
        inventory.Reconnecting += () => Installed = null;
    }

    public IInformer<InstanceTypeEntry> Informer { get; }

    /// <summary>Whether the InstanceType CRD exists (null until the first list answered).</summary>
    public bool? Installed { get; private set; }

    /// <summary>How often a missing InstanceType CRD is looked for again.</summary>
    public TimeSpan CrdPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    private async Task<(IList<InstanceTypeResource> Items, string? Continue, string? ResourceVersion)> ListAsync(IKubernetes client, string? continueToken, CancellationToken cancellationToken)
    {
        try
        {
            var list = await client.CustomObjects.ListClusterCustomObjectAsync<InstanceTypeResourceList>(
                InstanceTypeManifest.Group, InstanceTypeManifest.Version, InstanceTypeManifest.Plural, continueParameter: continueToken, limit: 500, cancellationToken: cancellationToken);
            Installed = true;
            return (list.Items, list.Metadata?.ContinueProperty, list.Metadata?.ResourceVersion);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // The CRD does not exist: the extension is not installed. A state, not a failure.
            Installed = false;
            return ([], null, "0");
        }
    }

    private IAsyncEnumerable<(WatchEventType Type, InstanceTypeResource Object)> Watch(IKubernetes client, string resourceVersion, Action<Exception> onError, CancellationToken cancellationToken) =>
        Installed == false
            ? WaitForCrdAsync(onError, cancellationToken)
            : WatchAsync(client, resourceVersion, onError, cancellationToken);

    private static async IAsyncEnumerable<(WatchEventType Type, InstanceTypeResource Object)> WatchAsync(IKubernetes client, string resourceVersion, Action<Exception> onError, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IAsyncEnumerable<(WatchEventType, object)> events = client.CustomObjects.WatchListClusterCustomObjectAsync(
            InstanceTypeManifest.Group, InstanceTypeManifest.Version, InstanceTypeManifest.Plural, allowWatchBookmarks: true, resourceVersion: resourceVersion, onError: onError, cancellationToken: cancellationToken);
        await foreach (var (type, item) in events)
        {
            var resource = item switch
            {
                InstanceTypeResource typed => typed,
                System.Text.Json.JsonElement json => KubernetesJson.Deserialize<InstanceTypeResource>(json.GetRawText()),
                _ => KubernetesJson.Deserialize<InstanceTypeResource>(KubernetesJson.Serialize(item)),
            };
            yield return (type, resource);
        }
    }

    private async IAsyncEnumerable<(WatchEventType Type, InstanceTypeResource Object)> WaitForCrdAsync(Action<Exception> onError, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Delay(CrdPollInterval, cancellationToken);

        // Ask the informer for a fresh list (as after 410 Gone): it finds the CRD once the extension is installed.
        onError(new KubernetesException(new V1Status { Code = (int)System.Net.HttpStatusCode.Gone, Message = "InstanceType CRD not installed; listing again" }));
        yield break;
    }

    /// <summary>Adds the instance types' informer to every cluster's inventory.</summary>
    public sealed class Contributor : IInventoryContributor
    {
        public void Contribute(ClusterInventory inventory) => inventory.AddPart(new InstanceTypeInformer(inventory));
    }
}
