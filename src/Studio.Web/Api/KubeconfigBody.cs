namespace Studio.Web.Api;

public sealed record KubeconfigBody(string? Kubeconfig, string? Context);
