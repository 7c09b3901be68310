using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Studio.Infrastructure.InstanceTypes;

/// <summary>A list of InstanceType resources (<c>InstanceTypeList</c>).</summary>
public sealed class InstanceTypeResourceList : IKubernetesObject<V1ListMeta>, IItems<InstanceTypeResource>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "amlarc.azureml.com/v1alpha1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "InstanceTypeList";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<InstanceTypeResource> Items { get; set; } = [];
}
