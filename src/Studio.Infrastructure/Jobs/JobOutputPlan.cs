namespace Studio.Infrastructure.Jobs;

/// <summary>
/// One data output as its pods upload it: the folder the command writes (<see cref="Folder"/>), the URL signed for
/// writing under the output's datastore folder only (<c>URL-before-query + relative path + ?query</c>), and the URL of
/// its upload record (<see cref="JobOutputs"/> reads it: complete, or why not).
/// </summary>
public sealed record JobOutputPlan(string Name, string Folder, string WriteUrl, string RecordUrl);
