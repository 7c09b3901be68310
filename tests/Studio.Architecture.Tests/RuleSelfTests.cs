using Studio.Architecture.Tests.Support;

namespace Studio.Architecture.Tests;

/// <summary>
/// The rules run on planted violations in this test assembly (Samples/) and must report them, so the architecture
/// tests cannot pass because a rule sees nothing.
/// </summary>
public sealed class RuleSelfTests
{
    private const string Samples = "Studio.Architecture.Tests.Samples";
    private static readonly IReadOnlyList<TypeDependency> Self = AssemblyDependencies.Read(typeof(RuleSelfTests).Assembly.Location);

    [Fact]
    public void NamespaceCycles_WhenTwoNamespacesUseEachOther_ReportsThePathAndTheUses()
    {
        var cycle = Assert.Single(Rules.NamespaceCycles(Self, Samples + ".Cycle"));

        Assert.Contains($"{Samples}.Cycle.Billing → {Samples}.Cycle.Orders → {Samples}.Cycle.Billing", cycle, StringComparison.Ordinal);
        Assert.Contains($"{Samples}.Cycle.Billing.Invoice uses {Samples}.Cycle.Orders.Order", cycle, StringComparison.Ordinal);
        Assert.Contains($"{Samples}.Cycle.Orders.Order uses {Samples}.Cycle.Billing.Invoice", cycle, StringComparison.Ordinal);
    }

    [Fact]
    public void NamespaceCycles_WhenUsesPointOneWay_ReportsNothing() =>
        Assert.Empty(Rules.NamespaceCycles(Self.Where(d => d.Source.Namespace.EndsWith(".Orders", StringComparison.Ordinal)), Samples + ".Cycle"));

    [Fact]
    public void UsesOutside_WhenALowerLayerUsesAFeature_NamesBoth() =>
        Assert.Equal(
            [$"{Samples}.Cycle.Orders uses {Samples}.Cycle.Billing: Order → Invoice"],
            Rules.UsesOutside(Self, Samples, Samples + ".Cycle.Orders", Samples + ".Cycle.Orders"));

    [Fact]
    public void ForbiddenTypeUses_FindsEntityFrameworkInASignatureAndKubernetesClientInAMethodBody()
    {
        var found = string.Join(Environment.NewLine, Rules.ForbiddenTypeUses(Self, Samples + ".Leaky", "Microsoft.EntityFrameworkCore", "KubernetesClient"));

        Assert.Contains("Microsoft.EntityFrameworkCore.DbContext (Microsoft.EntityFrameworkCore)", found, StringComparison.Ordinal);
        Assert.Contains("k8s.Models.V1Pod (KubernetesClient)", found, StringComparison.Ordinal);
        Assert.Empty(Rules.ForbiddenTypeUses(Self, Samples + ".Cycle", "Microsoft.EntityFrameworkCore", "KubernetesClient"));
    }

    [Fact]
    public void NonRuntimeReferences_OfAnAssemblyUsingATestFramework_NamesIt() =>
        Assert.Contains(
            Rules.NonRuntimeReferences(AssemblyDependencies.References(typeof(RuleSelfTests).Assembly.Location)),
            r => r.StartsWith("xunit", StringComparison.Ordinal));

    [Fact]
    public void PagesOffTheBase_ReportsOnlyAPageThatInjectsServicesBesideTheBase() =>
        Assert.Equal(
            [$"{Samples}.Pages.StrayPage injects services but derives from ComponentBase instead of SamplePageBase"],
            Rules.PagesOffTheBase(typeof(RuleSelfTests).Assembly.GetTypes().Where(t => t.Namespace == Samples + ".Pages"), typeof(Studio.Architecture.Tests.Samples.Pages.SamplePageBase)));
}
