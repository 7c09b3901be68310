using System.Reflection;

namespace Studio.Architecture.Tests.Support;

/// <summary>
/// The architecture rules as functions from what an assembly uses to the violations, one readable line (or block) each;
/// the tests assert there are none, and the sample tests assert they find the planted ones.
/// </summary>
public static class Rules
{
    /// <summary>The compiled assembly of a project the tests reference, by name.</summary>
    public static string PathOf(string assembly) => Assembly.Load(new AssemblyName(assembly)).Location;

    /// <summary>
    /// Pages (components with a route) among <paramref name="types"/> that inject a service of their own but do not derive
    /// from <paramref name="basePage"/>, which holds the common services. A page that uses no service may stay plain.
    /// </summary>
    public static IReadOnlyList<string> PagesOffTheBase(IEnumerable<Type> types, Type basePage) =>
        [.. types
            .Where(t => t.GetCustomAttributes<Microsoft.AspNetCore.Components.RouteAttribute>().Any())
            .Where(t => t.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                .Any(p => p.GetCustomAttribute<Microsoft.AspNetCore.Components.InjectAttribute>() is not null))
            .Where(t => !basePage.IsAssignableFrom(t))
            .Select(t => $"{t.FullName} injects services but derives from {t.BaseType?.Name} instead of {basePage.Name}")
            .Order(StringComparer.Ordinal)];

    /// <summary>Every cycle among the namespaces under <paramref name="root"/>, with the uses that close it.</summary>
    public static IReadOnlyList<string> NamespaceCycles(IEnumerable<TypeDependency> dependencies, string root)
    {
        var graph = new NamespaceGraph(dependencies, ns => Under(ns, root));
        return [.. graph.Cycles().Select(cycle => $"Cycle {string.Join(" → ", cycle)}:{Environment.NewLine}{graph.Explain(cycle)}")];
    }

    /// <summary>Uses, by code under <paramref name="layer"/>, of namespaces under <paramref name="root"/> that are not in <paramref name="allowed"/>.</summary>
    public static IReadOnlyList<string> UsesOutside(IEnumerable<TypeDependency> dependencies, string root, string layer, params string[] allowed) =>
        [.. dependencies
            .Where(d => Under(d.Source.Namespace, layer) && Under(d.Target.Namespace, root) && !allowed.Any(a => Under(d.Target.Namespace, a)))
            .GroupBy(d => (d.Source.Namespace, d.Target.Namespace))
            .OrderBy(g => g.Key.Item1, StringComparer.Ordinal).ThenBy(g => g.Key.Item2, StringComparer.Ordinal)
            .Select(g => $"{g.Key.Item1} uses {g.Key.Item2}: {string.Join(", ", g.Select(d => $"{d.Source.Name} → {d.Target.Name}").Distinct().Order(StringComparer.Ordinal).Take(5))}")];

    /// <summary>
    /// Types from <paramref name="forbidden"/> assemblies (names or dotted name prefixes) used by code under
    /// <paramref name="source"/>, or by any code of the assembly when it is null.
    /// </summary>
    public static IReadOnlyList<string> ForbiddenTypeUses(IEnumerable<TypeDependency> dependencies, string? source, params string[] forbidden) =>
        [.. dependencies
            .Where(d => (source is null || Under(d.Source.Namespace, source)) && forbidden.Any(f => Under(d.Target.Assembly, f)))
            .GroupBy(d => d.Source.FullName)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} uses {string.Join(", ", g.Select(d => $"{d.Target.FullName} ({d.Target.Assembly})").Distinct().Order(StringComparer.Ordinal))}")];

    /// <summary>Referenced assemblies that are neither the runtime's (System.*, netstandard, mscorlib) nor in <paramref name="allowed"/>.</summary>
    public static IReadOnlyList<string> NonRuntimeReferences(IEnumerable<string> references, params string[] allowed) =>
        [.. references.Where(r => !Under(r, "System") && r is not "netstandard" and not "mscorlib" && !allowed.Contains(r, StringComparer.Ordinal))];

    /// <summary>Whether a dotted name is <paramref name="prefix"/> or below it (Studio.Infrastructure.Jobs is under Studio.Infrastructure).</summary>
    public static bool Under(string name, string prefix) =>
        name == prefix || (name.StartsWith(prefix, StringComparison.Ordinal) && name.Length > prefix.Length && name[prefix.Length] == '.');
}
