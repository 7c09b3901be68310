namespace Studio.Web.Model;

/// <summary>A key of an imported YAML file that is wrong or not used, named by its path (<c>resources.shm_size</c>).</summary>
public sealed record YamlIssue(string Path, string Message);
