namespace Studio.Infrastructure.Kubernetes.Inventory;

public sealed record NodePage(IReadOnlyList<NodeRow> Items, int Total);
