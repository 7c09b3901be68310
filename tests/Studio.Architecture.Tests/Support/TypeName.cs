namespace Studio.Architecture.Tests.Support;

/// <summary>A type as the metadata names it: namespace (of the outermost declaring type), name and defining assembly.</summary>
public sealed record TypeName(string Namespace, string Name, string Assembly)
{
    public string FullName => Namespace.Length == 0 ? Name : $"{Namespace}.{Name}";

    public override string ToString() => FullName;
}

/// <summary>One use of <see cref="Target"/> by code in <see cref="Source"/>.</summary>
public sealed record TypeDependency(TypeName Source, TypeName Target);
