using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Studio.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ComputeTargetState : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DefaultInstanceType",
                table: "compute_targets",
                type: "character varying(253)",
                maxLength: 253,
                nullable: false,
                defaultValue: "defaultinstancetype");

            migrationBuilder.AddColumn<string>(
                name: "Identity",
                table: "compute_targets",
                type: "character varying(512)",
                maxLength: 512,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "NamespaceCreatedByStudio",
                table: "compute_targets",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "QuotaCpu",
                table: "compute_targets",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "QuotaGpu",
                table: "compute_targets",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "QuotaMemory",
                table: "compute_targets",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "State",
                table: "compute_targets",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Succeeded");

            migrationBuilder.AddColumn<string>(
                name: "StateReason",
                table: "compute_targets",
                type: "character varying(2048)",
                maxLength: 2048,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DefaultInstanceType",
                table: "compute_targets");

            migrationBuilder.DropColumn(
                name: "Identity",
                table: "compute_targets");

            migrationBuilder.DropColumn(
                name: "NamespaceCreatedByStudio",
                table: "compute_targets");

            migrationBuilder.DropColumn(
                name: "QuotaCpu",
                table: "compute_targets");

            migrationBuilder.DropColumn(
                name: "QuotaGpu",
                table: "compute_targets");

            migrationBuilder.DropColumn(
                name: "QuotaMemory",
                table: "compute_targets");

            migrationBuilder.DropColumn(
                name: "State",
                table: "compute_targets");

            migrationBuilder.DropColumn(
                name: "StateReason",
                table: "compute_targets");
        }
    }
}
