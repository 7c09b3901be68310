namespace Studio.Web.Api;

public sealed record RegisterClusterBody(string? Name, string? DisplayName, string? Kubeconfig, string? Context);
