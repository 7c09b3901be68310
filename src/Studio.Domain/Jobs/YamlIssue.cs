namespace Studio.Domain.Jobs;

/// <summary>A YAML key Studio does not support (or a value it cannot use), by its path (<c>code</c>, <c>inputs.data.type</c>, <c>services.my_vscode</c>).</summary>
public sealed record YamlIssue(string Path, string Message);
