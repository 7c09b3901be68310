namespace Studio.Infrastructure.Jobs;

/// <summary>One page of a list: the items, the total that match the filters, the page (1-based) and its size.</summary>
public sealed record JobPage<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);
