using Studio.Architecture.Tests.Support;

namespace Studio.Architecture.Tests;

/// <summary>
/// The layers README's Layout section describes, checked on the compiled assemblies: Web → Infrastructure → Domain;
/// inside Infrastructure, <c>Kubernetes</c> and <c>Persistence</c> at the bottom and features on top, with no cycle.
/// </summary>
public sealed class LayeringTests
{
    private const string Infrastructure = "Studio.Infrastructure";
    private static readonly Lazy<IReadOnlyList<TypeDependency>> InfrastructureUses = new(() => AssemblyDependencies.Read(Rules.PathOf(Infrastructure)));

    [Fact]
    public void InfrastructureNamespaces_FormNoCycle()
    {
        var cycles = Rules.NamespaceCycles(InfrastructureUses.Value, Infrastructure);

        Assert.True(cycles.Count == 0, string.Join(Environment.NewLine, cycles));
    }

    [Fact]
    public void KubernetesLayer_UsesNoFeature()
    {
        var violations = Rules.UsesOutside(InfrastructureUses.Value, Infrastructure, Infrastructure + ".Kubernetes", Infrastructure + ".Kubernetes", Infrastructure + ".Persistence");

        Assert.True(violations.Count == 0, "Kubernetes/ is the bottom layer; features register with it instead:" + Environment.NewLine + string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void Persistence_UsesNoFeatureAndNoKubernetes()
    {
        var violations = Rules.UsesOutside(InfrastructureUses.Value, Infrastructure, Infrastructure + ".Persistence", Infrastructure + ".Persistence");

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void Web_UsesNoEntityFrameworkCoreOrKubernetesClientType()
    {
        var violations = Rules.ForbiddenTypeUses(AssemblyDependencies.Read(Rules.PathOf("Studio.Web")), null, "Microsoft.EntityFrameworkCore", "KubernetesClient", "Npgsql");

        Assert.True(violations.Count == 0, "Web reads through Infrastructure services:" + Environment.NewLine + string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void Domain_ReferencesOnlyTheRuntime()
    {
        // YamlDotNet is a parser, not a framework (see Studio.Domain.csproj): CLI v2 job YAML is read into a node tree in
        // the Domain so every error names its path.
        var violations = Rules.NonRuntimeReferences(AssemblyDependencies.References(Rules.PathOf("Studio.Domain")), "YamlDotNet");

        Assert.True(violations.Count == 0, "Studio.Domain references " + string.Join(", ", violations));
    }

    [Fact]
    public void Pages_ThatUseServices_DeriveFromStudioPage()
    {
        var violations = Rules.PagesOffTheBase(typeof(Studio.Web.Components.Controls.StudioPage).Assembly.GetTypes(), typeof(Studio.Web.Components.Controls.StudioPage));

        Assert.True(violations.Count == 0, "Pages take the common services (navigation, dialogs, clock, the workspace, the circuit token) from StudioPage:" + Environment.NewLine + string.Join(Environment.NewLine, violations));
    }
}
