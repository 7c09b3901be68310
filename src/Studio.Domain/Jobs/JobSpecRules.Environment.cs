using Studio.Domain.Common;

namespace Studio.Domain.Jobs;

/// <summary>The rules of a job's environment: an image, a named environment, or one the job brings (conda file, build, file:).</summary>
public static partial class JobSpecRules
{
    private static void ValidateEnvironment(JobSpec spec, List<Error> errors)
    {
        var hasImage = !string.IsNullOrWhiteSpace(spec.Image);
        var hasEnvironment = !string.IsNullOrWhiteSpace(spec.Environment);
        if (spec.InlineEnvironment is { } inline && (inline.File is not null || inline.IsBuild))
        {
            // The image comes from the environment file or the build.
            if (hasEnvironment)
            {
                errors.Add(Error.Validation("environment", "Give either a named environment or the job's own environment (file:, build), not both."));
            }
            else if (inline.IsBuild && (hasImage || inline.CondaFile is not null || inline.CondaFilePath is not null))
            {
                errors.Add(Error.Validation("environment.build", "An environment built from a Docker context takes neither image nor conda_file: put them in the Dockerfile."));
            }

            ValidateConda(inline, errors);
            return;
        }

        if (hasImage && hasEnvironment)
        {
            errors.Add(Error.Validation("environment", "Give either an image or a named environment, not both."));
        }
        else if (!hasImage && !hasEnvironment)
        {
            errors.Add(spec.InlineEnvironment is { CondaFile: not null } or { CondaFilePath: not null }
                ? Error.Validation("environment.image", "A conda file is installed on a base image: give environment.image (e.g. mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04).")
                : Error.Validation("environment", "Choose an environment: an image, or a named environment of the workspace."));
        }
        else if (hasImage && ValidateImage(spec.Image) is { } imageError)
        {
            errors.Add(Error.Validation("environment.image", imageError));
        }
        else if (hasEnvironment && spec.InlineEnvironment is { CondaFile: not null } or { CondaFilePath: not null })
        {
            errors.Add(Error.Validation("environment.conda_file", "A conda file goes with an image (environment: {image, conda_file}), not with a named environment."));
        }

        if (spec.InlineEnvironment is { } own)
        {
            ValidateConda(own, errors);
        }
    }

    private static void ValidateConda(JobEnvironment inline, List<Error> errors)
    {
        if (inline.CondaFile is { } text && CondaFile.Parse(text, "environment.conda_file") is { IsSuccess: false } conda)
        {
            errors.AddRange(conda.Errors);
        }

        if (inline.BuildPath is { } build && (build.Contains("..", StringComparison.Ordinal) || build.StartsWith('/')))
        {
            errors.Add(Error.Validation("environment.build.path", $"build.path '{build}' must be a folder beside the YAML (no '..', not absolute)."));
        }
    }
}
