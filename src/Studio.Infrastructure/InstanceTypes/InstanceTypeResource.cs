using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Studio.Infrastructure.InstanceTypes;

/// <summary>
/// The <c>amlarc.azureml.com/v1alpha1</c> InstanceType custom resource as it comes off the wire. The spec stays raw JSON
/// so that a resource written by other tools (possibly invalid) is still read and judged, not dropped by a deserializer.
/// </summary>
public sealed class InstanceTypeResource : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "amlarc.azureml.com/v1alpha1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "InstanceType";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public JsonElement? Spec { get; set; }
}
