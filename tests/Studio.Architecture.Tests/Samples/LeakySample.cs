namespace Studio.Architecture.Tests.Samples.Leaky;

/// <summary>A "page" that reaches for EF Core in its signature and for a KubernetesClient model in a method body.</summary>
public sealed class LeakyPage
{
    public static int Count(Microsoft.EntityFrameworkCore.DbContext db) => db.ChangeTracker.Entries().Count();

    public static string? KindOfNewPod() => new k8s.Models.V1Pod().Kind;
}
