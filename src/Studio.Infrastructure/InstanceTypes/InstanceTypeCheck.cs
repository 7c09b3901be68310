using Studio.Domain.Common;

namespace Studio.Infrastructure.InstanceTypes;

/// <summary>
/// The result of validating a draft against the rules and the live cluster: errors block saving (rules, exceeds node
/// size, contradicts the extension selector), warnings do not (selector matches no node yet); the fit when it is valid.
/// </summary>
public sealed record InstanceTypeCheck(IReadOnlyList<Error> Errors, IReadOnlyList<Error> Warnings, InstanceTypeAvailability? Availability)
{
    public bool IsValid => Errors.Count == 0;
}
