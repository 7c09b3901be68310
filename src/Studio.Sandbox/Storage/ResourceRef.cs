namespace Studio.Sandbox.Storage;

/// <summary>Identifies a group-resource for storage and for error messages.</summary>
internal readonly record struct ResourceRef(string Group, string Plural)
{
    public string StorageKey => Group.Length == 0 ? Plural : Plural + "." + Group;
}
