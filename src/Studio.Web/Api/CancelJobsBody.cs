namespace Studio.Web.Api;

/// <summary>Bulk cancel: the names of the jobs to cancel.</summary>
public sealed record CancelJobsBody(IReadOnlyList<string>? Names);
