using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Studio.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class EnvironmentBuilds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "WaitsForEnvironmentBuild",
                table: "jobs",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "environment_builds",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Image = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    Registry = table.Column<string>(type: "TEXT", maxLength: 900, nullable: false),
                    Tag = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ClusterId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Namespace = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    BuilderJob = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    BuilderPod = table.Column<string>(type: "TEXT", maxLength: 253, nullable: true),
                    WorkspaceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    JobName = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Failure = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    LogTail = table.Column<string>(type: "TEXT", maxLength: 8192, nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_environment_builds", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_jobs_WaitsForEnvironmentBuild_State",
                table: "jobs",
                columns: new[] { "WaitsForEnvironmentBuild", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_environment_builds_Image",
                table: "environment_builds",
                column: "Image",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_environment_builds_State",
                table: "environment_builds",
                column: "State");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "environment_builds");

            migrationBuilder.DropIndex(
                name: "IX_jobs_WaitsForEnvironmentBuild_State",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "WaitsForEnvironmentBuild",
                table: "jobs");
        }
    }
}
