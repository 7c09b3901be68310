namespace Studio.Infrastructure.Compute;

/// <summary>How the inference router is exposed (Azure ML's <c>inferenceRouterServiceType</c>).</summary>
public enum InferenceRouterServiceType
{
    LoadBalancer,
    NodePort,
    ClusterIP,
}
