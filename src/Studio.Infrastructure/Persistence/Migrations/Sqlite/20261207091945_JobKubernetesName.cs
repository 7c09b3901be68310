using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Studio.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class JobKubernetesName : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "KubernetesName",
                table: "jobs",
                type: "TEXT",
                maxLength: 63,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "RequestHash",
                table: "jobs",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            // Jobs recorded before names were unique per namespace keep their objects' names: the tracker still finds them.
            migrationBuilder.Sql("UPDATE jobs SET \"KubernetesName\" = \"Name\";");

            migrationBuilder.CreateIndex(
                name: "IX_jobs_ClusterId_KubernetesName",
                table: "jobs",
                columns: new[] { "ClusterId", "KubernetesName" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_jobs_ClusterId_KubernetesName",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "KubernetesName",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "RequestHash",
                table: "jobs");
        }
    }
}
