namespace Studio.Domain.Jobs;

/// <summary>
/// An environment the job brings with it rather than names: Azure ML's inline <c>environment: {image, conda_file}</c> or
/// <c>{build: {path, dockerfile_path}}</c>, or <c>environment: file:env.yml</c> (an environment YAML beside the job).
/// References to files (<see cref="File"/>, <see cref="CondaFilePath"/>, <see cref="BuildPath"/>) are read from the
/// files submitted with the job; once read, <see cref="CondaFile"/> holds the conda file's text and
/// <see cref="BuildSnapshot"/> the stored build context. The image (<see cref="JobSpec.Image"/>) is the base the conda
/// file is installed on.
/// </summary>
public sealed record JobEnvironment
{
    /// <summary>Longest conda file taken (it travels with every pod of the job).</summary>
    public const int MaxCondaFileBytes = 64 * 1024;

    /// <summary><c>file:env.yml</c> as written (relative to the job's YAML), until the file is read.</summary>
    public string? File { get; init; }

    /// <summary>The conda file's text (<c>name</c>, <c>channels</c>, <c>dependencies</c> with an optional <c>pip:</c> list).</summary>
    public string? CondaFile { get; init; }

    /// <summary><c>conda_file: ./conda.yml</c> as written (relative to the YAML that names it), until the file is read.</summary>
    public string? CondaFilePath { get; init; }

    /// <summary><c>build.path</c>: the Docker build context folder, relative to the YAML that names it.</summary>
    public string? BuildPath { get; init; }

    /// <summary><c>build.dockerfile_path</c>, relative to the build context (<c>Dockerfile</c> when not given).</summary>
    public string? DockerfilePath { get; init; }

    /// <summary>The stored build context (<c>sha256:...</c>, its tree hash), once the files were sent.</summary>
    public string? BuildSnapshot { get; init; }

    /// <summary>Whether the files it names still have to be read from the files sent with the job.</summary>
    public bool NeedsFiles => File is not null || CondaFilePath is not null || (BuildPath is not null && BuildSnapshot is null);

    /// <summary>Whether the job's image is built (<c>build:</c>) rather than used as it is.</summary>
    public bool IsBuild => BuildPath is not null || BuildSnapshot is not null;

    /// <summary>The Dockerfile's path inside the build context.</summary>
    public string Dockerfile => string.IsNullOrWhiteSpace(DockerfilePath) ? "Dockerfile" : DockerfilePath.Trim().TrimStart('.', '/');

    /// <summary>How the YAML and the page name it.</summary>
    public string Describe() => File is not null ? $"file:{File}"
        : IsBuild ? $"build {BuildPath ?? "(context)"} ({Dockerfile})"
        : CondaFilePath is not null ? $"conda file {CondaFilePath}"
        : "inline conda file";
}
