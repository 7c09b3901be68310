using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Kubernetes.Inventory;

namespace Studio.Web.Model;

public sealed record ClusterRow(ClusterSummary Cluster, ClusterSnapshot Live);
