using Studio.Domain.Common;
using Studio.Domain.InstanceTypes;

namespace Studio.Infrastructure.InstanceTypes;

/// <summary>
/// One instance type read from an import file: where it is (<see cref="Path"/> such as <c>items[2]</c> and its line), the
/// draft, and its problems with field paths prefixed by <see cref="Path"/> (e.g. <c>items[2].spec.resources.limits.cpu</c>).
/// </summary>
public sealed record ImportedInstanceType(string Path, long Line, InstanceTypeDraft Draft, IReadOnlyList<Error> Problems);
