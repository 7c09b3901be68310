using Studio.Domain.Common;

namespace Studio.Infrastructure.InstanceTypes;

/// <summary>One instance type of an import: its place in the file, its name, the outcome and its errors (field paths include <see cref="Path"/>).</summary>
public sealed record ImportItemResult(string Path, long Line, string? Name, ImportOutcome Outcome, IReadOnlyList<Error> Errors, IReadOnlyList<Error> Warnings);
