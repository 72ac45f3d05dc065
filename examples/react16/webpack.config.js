// webpack 5, as Gatsby uses underneath, with React 16.14, react-redux 7 and Redux Toolkit 1.9 (the
// archit.us dashboard's generation). Nothing here is needed for the library.
import HtmlWebpackPlugin from "html-webpack-plugin";
import { fileURLToPath } from "node:url";

export default {
  entry: "./src/index.js",
  output: {
    path: fileURLToPath(new URL("dist", import.meta.url)),
    filename: "[name].[contenthash].js",
    chunkFilename: "[name].[contenthash].js",
    clean: true,
  },
  devtool: "source-map",
  plugins: [new HtmlWebpackPlugin({ title: "gateway-connection · React 16 + Redux Toolkit 1.9" })],
};
