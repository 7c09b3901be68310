using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Studio.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MetricSamples : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "metric_samples",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ClusterId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Pool = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Nodes = table.Column<int>(type: "INTEGER", nullable: false),
                    ReadyNodes = table.Column<int>(type: "INTEGER", nullable: false),
                    CpuRequestedMillis = table.Column<long>(type: "INTEGER", nullable: false),
                    CpuAllocatableMillis = table.Column<long>(type: "INTEGER", nullable: false),
                    MemoryRequestedBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    MemoryAllocatableBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    GpusRequested = table.Column<long>(type: "INTEGER", nullable: false),
                    GpusAllocatable = table.Column<long>(type: "INTEGER", nullable: false),
                    PodsPending = table.Column<int>(type: "INTEGER", nullable: false),
                    PodsRunning = table.Column<int>(type: "INTEGER", nullable: false),
                    PodsSucceeded = table.Column<int>(type: "INTEGER", nullable: false),
                    PodsFailed = table.Column<int>(type: "INTEGER", nullable: false),
                    Queued = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_metric_samples", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_metric_samples_At",
                table: "metric_samples",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_metric_samples_ClusterId_At",
                table: "metric_samples",
                columns: new[] { "ClusterId", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "metric_samples");
        }
    }
}
