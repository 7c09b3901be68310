using Studio.Domain.Common;
using Studio.Domain.InstanceTypes;

namespace Studio.Infrastructure.InstanceTypes;

/// <summary>
/// One instance type of a cluster's catalog: the resource's values as written (<see cref="Draft"/>), the validated
/// <see cref="InstanceType"/> when it passes Azure ML's rules (else <see cref="Problems"/> say why it cannot be used),
/// and where it came from.
/// </summary>
public sealed record InstanceTypeEntry(
    string Name,
    InstanceTypeDraft Draft,
    InstanceType? InstanceType,
    IReadOnlyList<Error> Problems,
    string? ResourceVersion,
    DateTimeOffset? CreatedAt,
    string? ManagedBy)
{
    /// <summary>The implicit default (no resource on the cluster).</summary>
    public bool IsImplicit => InstanceType?.IsImplicit == true;

    public bool IsValid => InstanceType is not null;

    public static InstanceTypeEntry Implicit { get; } = new(InstanceType.DefaultName, InstanceTypeDraft.From(InstanceType.Default), InstanceType.Default, [], null, null, null);
}
